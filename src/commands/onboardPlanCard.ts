import { onboardPlanCardModel } from '../cards/onboardPlanCardModel';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { OnboardingRun } from '../compliance/onboardingTypes';
import type { PlannedOnboarding } from '../lookup/planOnboardingGroup';

/** The plan card: the dry run, and with `run` the progress or result of its Apply. */
export function onboardPlanCard(
  { stored, plan }: PlannedOnboarding,
  now: Date,
  run?: OnboardingRun,
): AdaptiveCard {
  return renderCard(
    'onboardPlan',
    onboardPlanCardModel(plan, {
      planId: stored.id,
      plannedBy: stored.actor.name ?? stored.actor.teamsUserId,
      plannedAt: stored.createdAt,
      now,
      run,
    }),
  );
}
