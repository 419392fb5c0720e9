import { connectorCardModel } from '../cards/connectorCardModel';
import { renderCard } from '../cards/renderCard';
import { assessConnectorHealth } from '../compliance/assessConnectorHealth';
import type { AppConfig } from '../config';
import type { ConnectorStatus } from '../lookup/loadConnectorStatus';
import { refreshableCardCommand, type RefreshableCardCommand } from './refreshableCardCommand';

export interface ConnectorStatusDeps {
  /** Partner, groups, Entra apps and fleet counts, read live (`loadConnectorStatus`). */
  loadConnectorStatus: (now: Date) => Promise<ConnectorStatus>;
  connector: Pick<AppConfig['connector'], 'heartbeatStaleAfterMinutes' | 'registrationAppId'>;
}

/**
 * `connector status`: is the Jamf → Intune → Entra connector working, and if not, what to change;
 * Refresh (`connector.refresh`) reads everything again. Not `status` alone: that is the end
 * users' "am I compliant" command.
 */
export function connectorStatusCommand(deps: ConnectorStatusDeps): RefreshableCardCommand {
  return refreshableCardCommand({
    name: 'connector status',
    aliases: ['connector', 'status connector', 'connector health', 'check connector'],
    summary: 'Health of the Intune partner connector for Jamf, its Entra apps and the fleet counts.',
    usage: 'connector status',
    examples: ['connector status'],
    verb: 'connector.refresh',
    card: async (now) => {
      const status = await deps.loadConnectorStatus(now);
      const health = assessConnectorHealth({
        partner: status.scope.partner,
        scope: status.scope,
        apps: status.apps,
        fleetSummary: status.fleet?.summary ?? null,
        now,
        heartbeatStaleAfterMinutes: deps.connector.heartbeatStaleAfterMinutes,
      });
      return renderCard(
        'connectorStatus',
        connectorCardModel(
          { ...status, health, fleetFailure: status.fleetFailure?.service ?? null },
          { now, registrationAppId: deps.connector.registrationAppId },
        ),
      );
    },
  });
}
