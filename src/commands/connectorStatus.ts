import { z } from 'zod';
import { connectorCardModel } from '../cards/connectorCardModel';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import { assessConnectorHealth } from '../compliance/assessConnectorHealth';
import { loadConnectorStatus } from '../lookup/loadConnectorStatus';
import type { Services } from '../services';
import type { CardAction, Command } from './commandTypes';

/** The connector card from live data: partner, groups, Entra apps and fleet counts, and the light. */
export async function connectorStatusCard(services: Services, now: Date): Promise<AdaptiveCard> {
  const status = await loadConnectorStatus(services, now);
  const health = assessConnectorHealth({
    partner: status.scope.partner,
    scope: status.scope,
    apps: status.apps,
    fleetSummary: status.fleet?.summary ?? null,
    now,
    heartbeatStaleAfterMinutes: services.config.connector.heartbeatStaleAfterMinutes,
  });
  return renderCard(
    'connectorStatus',
    connectorCardModel(
      { ...status, health, fleetFailure: status.fleetFailure?.service ?? null },
      { now, registrationAppId: services.config.connector.registrationAppId },
    ),
  );
}

/**
 * `connector status`: is the Jamf → Intune → Entra connector working, and if not, what to change.
 * Not `status` alone: that is the end users' "am I compliant" command.
 */
export const connectorStatusCommand: Command<Services> = {
  name: 'connector status',
  aliases: ['connector', 'status connector', 'connector health', 'check connector'],
  audience: 'admin',
  summary: 'Health of the Intune partner connector for Jamf, its Entra apps and the fleet counts.',
  usage: 'connector status',
  examples: ['connector status'],
  async run(ctx) {
    await ctx.reply({ card: await connectorStatusCard(ctx.services, ctx.now()) });
  },
};

/** "Refresh" on the connector card: read everything again and update the card in place. */
export const connectorRefreshAction: CardAction<Services> = {
  verb: 'connector.refresh',
  audience: 'admin',
  // The Refresh button carries no data; anything else in it is ignored.
  schema: z.object({}),
  async run(ctx) {
    return { card: await connectorStatusCard(ctx.services, ctx.now()) };
  },
};
