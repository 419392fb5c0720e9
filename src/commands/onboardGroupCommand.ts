import type { OnboardTarget } from '../compliance/onboardingTypes';
import { parseOnboardArgs } from '../compliance/parseOnboardArgs';
import type { Logger } from '../log';
import type { PlannedOnboarding } from '../lookup/planOnboardingGroup';
import type { AuditActor } from '../compliance/auditTypes';
import { actorOf } from './actorOf';
import type { Command } from './commandTypes';
import { onboardPlanCard } from './onboardPlanCard';

export interface OnboardPlanDeps {
  /** Reads, plans, stores and audits the plan (src/lookup/planOnboardingGroup). */
  planOnboardingGroup: (
    target: OnboardTarget,
    actor: AuditActor,
    now: Date,
    log: Logger,
  ) => Promise<PlannedOnboarding>;
}

/** `onboard group <name | id> [rule "…"]`: the plan card; Apply makes the changes. */
export function onboardGroupCommand(deps: OnboardPlanDeps): Command {
  return {
    name: 'onboard group',
    menuWhenRoom: true,
    audience: 'admin',
    summary:
      'Plan, then apply, the set-up for one Entra user group: the group, the connector’s macOS assignment, the Jamf smart groups; checks Company Portal, the Self Service policy and Conditional Access.',
    usage: 'onboard group <name | object id> [rule "<dynamic membership rule>"]',
    examples: ['onboard group Mac users', 'onboard group Mac users rule "(user.department -eq "Sales")"'],
    async run(ctx) {
      const target = parseOnboardArgs(ctx.args);
      const now = ctx.now();
      const planned = await deps.planOnboardingGroup(target, actorOf(ctx.caller), now, ctx.log);
      await ctx.reply({ card: onboardPlanCard(planned, now) });
    },
  };
}
