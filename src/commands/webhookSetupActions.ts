import { z } from 'zod';
import type { AuditActor } from '../compliance/auditTypes';
import type { Logger } from '../log';
import type { ApplyWebhookSetupResult } from '../lookup/applyWebhookSetup';
import { actorOf } from './actorOf';
import type { CardAction } from './commandTypes';
import type { SetupWebhooksDeps } from './setupWebhooksCommand';
import { webhookSetupBlockedCard, webhookSetupCard } from './webhookSetupCard';

const PLAN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface WebhookApplyDeps extends SetupWebhooksDeps {
  /** Applies a stored plan (src/lookup/applyWebhookSetup): re-reads, writes, re-plans. */
  applyWebhookSetup: (opts: {
    planId: string;
    actor: AuditActor;
    now: () => Date;
    log: Logger;
  }) => Promise<ApplyWebhookSetupResult>;
}

/**
 * **Apply** (`webhooks.apply`) and **Plan again** (`webhooks.plan`) on the `setup webhooks` card.
 * Admins only (the pipeline re-checks and audits refusals); the card is replaced in place.
 */
export function webhookSetupActions(deps: WebhookApplyDeps): CardAction[] {
  const apply: CardAction = {
    verb: 'webhooks.apply',
    audience: 'admin',
    schema: z.object({ planId: z.string().regex(PLAN_ID, 'a plan id') }),
    async run(ctx) {
      const planId = typeof ctx.data.planId === 'string' ? ctx.data.planId : '';
      const result = await deps.applyWebhookSetup({
        planId,
        actor: actorOf(ctx.caller),
        now: ctx.now,
        log: ctx.log,
      });
      switch (result.kind) {
        case 'unknown':
          return { message: 'I do not have that plan any more. Type **setup webhooks** to plan again.' };
        case 'refused':
          return {
            message:
              result.reason === 'too_old'
                ? 'This plan is more than an hour old and Jamf Pro may have changed. Press **Plan again** and apply the new plan.'
                : 'This plan is being applied right now. Wait for the card to update.',
          };
        case 'blocked':
          return { card: webhookSetupBlockedCard(result) };
        case 'ran':
          return { card: webhookSetupCard(result, ctx.now(), result.results) };
      }
    },
  };
  const plan: CardAction = {
    verb: 'webhooks.plan',
    audience: 'admin',
    schema: z.object({}),
    async run(ctx) {
      const now = ctx.now();
      const planned = await deps.planWebhookSetup(actorOf(ctx.caller), now, ctx.log);
      return {
        card: planned.kind === 'blocked' ? webhookSetupBlockedCard(planned) : webhookSetupCard(planned, now),
      };
    },
  };
  return [apply, plan];
}
