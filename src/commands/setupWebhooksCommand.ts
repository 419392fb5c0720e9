import type { AuditActor } from '../compliance/auditTypes';
import type { Logger } from '../log';
import type { PlannedWebhooks } from '../lookup/planWebhookSetup';
import type { WebhookSetupBlocked } from '../lookup/readWebhookSetup';
import { actorOf } from './actorOf';
import type { Command } from './commandTypes';
import { webhookSetupBlockedCard, webhookSetupCard } from './webhookSetupCard';

export interface SetupWebhooksDeps {
  /** Reads Jamf Pro, plans, stores and audits the plan (src/lookup/planWebhookSetup). */
  planWebhookSetup: (
    actor: AuditActor,
    now: Date,
    log: Logger,
  ) => Promise<PlannedWebhooks | WebhookSetupBlocked>;
}

/** `setup webhooks`: the plan card for the Jamf Pro webhooks the bot needs; Apply makes them. */
export function setupWebhooksCommand(deps: SetupWebhooksDeps): Command {
  return {
    name: 'setup webhooks',
    menuWhenRoom: true,
    aliases: ['setup webhook', 'webhooks setup'],
    audience: 'admin',
    summary:
      'Plan, then apply, the Jamf Pro webhooks that tell the bot at once when Macs change (they post to PUBLIC_URL with the header secret).',
    usage: 'setup webhooks',
    examples: ['setup webhooks'],
    async run(ctx) {
      const now = ctx.now();
      const planned = await deps.planWebhookSetup(actorOf(ctx.caller), now, ctx.log);
      await ctx.reply({
        card: planned.kind === 'blocked' ? webhookSetupBlockedCard(planned) : webhookSetupCard(planned, now),
      });
    },
  };
}
