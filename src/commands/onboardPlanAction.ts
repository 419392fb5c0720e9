import { z } from 'zod';
import { parseOnboardArgs } from '../compliance/parseOnboardArgs';
import { UserInputError } from '../errors';
import { actorOf } from './actorOf';
import type { CardAction } from './commandTypes';
import type { OnboardPlanDeps } from './onboardGroupCommand';
import { onboardPlanCard } from './onboardPlanCard';

/** "Plan again" on the card: read and plan afresh (a new plan id), the card replaced in place. */
export function onboardPlanAction(deps: OnboardPlanDeps): CardAction {
  return {
    verb: 'onboard.plan',
    audience: 'admin',
    // What "Plan again" carries: the group as typed and the rule, if any (Graph's limit: 3,072).
    schema: z.object({ target: z.string().min(1).max(256), rule: z.string().max(3072).optional() }),
    async run(ctx) {
      const target = typeof ctx.data.target === 'string' ? ctx.data.target : '';
      const rule = typeof ctx.data.rule === 'string' && ctx.data.rule !== '' ? ctx.data.rule : null;
      if (target === '')
        throw new UserInputError('That button has no group on it. Type **onboard group <name>** again.');
      const parsed = parseOnboardArgs(rule === null ? `"${target}"` : `"${target}" rule "${rule}"`);
      const now = ctx.now();
      const planned = await deps.planOnboardingGroup(parsed, actorOf(ctx.caller), now, ctx.log);
      return { card: onboardPlanCard(planned, now) };
    },
  };
}
