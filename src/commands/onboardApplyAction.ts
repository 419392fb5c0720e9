import { z } from 'zod';
import type { ApplyPlanOptions, ApplyPlanResult } from '../lookup/applyStoredOnboardingPlan';
import { actorOf } from './actorOf';
import type { CardAction } from './commandTypes';
import { onboardPlanCard } from './onboardPlanCard';

const PLAN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface OnboardApplyDeps {
  /** Runs a stored plan once, refusing an old or running one (src/lookup/applyStoredOnboardingPlan). */
  applyStoredOnboardingPlan: (opts: ApplyPlanOptions) => Promise<ApplyPlanResult>;
}

/**
 * **Apply** on the plan card: runs the stored plan's writes in order (each re-read first),
 * updating the card in place after every step, and returns the final card. Only admins (the
 * bot re-checks and audits refusals); one run at a time per plan; an old plan is refused.
 */
export function onboardApplyAction(deps: OnboardApplyDeps): CardAction {
  return {
    verb: 'onboard.apply',
    audience: 'admin',
    schema: z.object({ planId: z.string().regex(PLAN_ID, 'a plan id') }),
    async run(ctx) {
      const planId = typeof ctx.data.planId === 'string' ? ctx.data.planId : '';
      if (!PLAN_ID.test(planId))
        return { message: 'That button does not name a plan. Type **onboard group <name>** to make one.' };
      const result = await deps.applyStoredOnboardingPlan({
        planId,
        actor: actorOf(ctx.caller),
        now: ctx.now,
        log: ctx.log,
        onProgress: async (planned, run) => {
          if (ctx.cardActivityId)
            await ctx.update(ctx.cardActivityId, { card: onboardPlanCard(planned, ctx.now(), run) });
        },
      });
      switch (result.kind) {
        case 'unknown':
          return {
            message: 'I do not have that plan any more. Type **onboard group <name>** to plan again.',
          };
        case 'refused':
          return {
            message:
              result.reason === 'too_old'
                ? 'This plan is more than an hour old and the tenant may have changed. Press **Plan again** (or type **onboard group …**) and apply the new plan.'
                : 'This plan is being applied right now. Wait for the card to update.',
          };
        case 'ran':
          return { card: onboardPlanCard(result, ctx.now(), result.run) };
      }
    },
  };
}
