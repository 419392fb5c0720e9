import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import { webhookSetupCardModel, type WebhookSetupCardResult } from '../cards/webhookSetupCardModel';
import type { PlannedWebhooks } from '../lookup/planWebhookSetup';
import type { WebhookSetupBlocked } from '../lookup/readWebhookSetup';

/** The plan card, and with `results` the outcome of its Apply. */
export function webhookSetupCard(
  { stored, plan }: Omit<PlannedWebhooks, 'kind'>,
  now: Date,
  results?: readonly WebhookSetupCardResult[],
): AdaptiveCard {
  return renderCard(
    'webhookSetup',
    webhookSetupCardModel(plan, {
      planId: stored.id,
      plannedBy: stored.actor.name ?? stored.actor.teamsUserId,
      plannedAt: stored.createdAt,
      now,
      results,
    }),
  );
}

/** Why no plan could be made (PUBLIC_URL or the secret missing, Jamf refusing), with the fix. */
export function webhookSetupBlockedCard(b: WebhookSetupBlocked): AdaptiveCard {
  return renderCard('notice', {
    style: 'warning',
    title: 'Jamf Pro webhooks: cannot plan yet',
    text: `${b.detail} ${b.fix}`,
  });
}
