import { renderCard } from '../cards/renderCard';
import { setupCheckCardModel } from '../cards/setupCheckCardModel';
import type { SetupReport } from '../compliance/setupCheckTypes';
import { refreshableCardCommand, type RefreshableCardCommand } from './refreshableCardCommand';

export interface SetupCheckDeps {
  /** The setup doctor's checks, run live (`runSetupCheck`, the same as `npm run doctor`). */
  runSetupCheck: (now: Date) => Promise<SetupReport>;
}

/**
 * `setup check`: is this tenant ready — Graph permissions, the Jamf API role, the connector, the
 * Teams app in the catalog, the registration app, Conditional Access, the public address and the
 * database — each with its fix; Refresh (`setup.refresh`) checks again.
 */
export function setupCheckCommand(deps: SetupCheckDeps): RefreshableCardCommand {
  return refreshableCardCommand({
    name: 'setup check',
    aliases: ['doctor', 'setup doctor', 'check setup'],
    summary: 'Is the tenant ready: permissions, Jamf API role, connector, Teams app, CA, address, database.',
    usage: 'setup check',
    examples: ['setup check'],
    menuWhenRoom: true,
    verb: 'setup.refresh',
    card: async (now) =>
      renderCard('setupCheck', setupCheckCardModel(await deps.runSetupCheck(now), { now })),
  });
}
