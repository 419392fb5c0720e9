import { randomUUID } from 'node:crypto';
import { desiredSmartGroups } from '../compliance/desiredSmartGroups';
import type { OnboardingPlan, OnboardTarget } from '../compliance/onboardingTypes';
import { planOnboarding } from '../compliance/planOnboarding';
import type { Logger } from '../log';
import type { AuditActor } from '../compliance/auditTypes';
import type { StoredOnboardingPlan } from '../compliance/onboardingPlanRecordTypes';
import { readOnboardingState, type OnboardingReaders } from './readOnboardingState';
import type { AuditLog } from '../store/ports/auditLog';
import type { OnboardingPlanStore } from '../store/ports/onboardingPlanStore';

/** A plan as shown on the plan card: who planned it and when, and its steps. */
export interface PlannedOnboarding {
  stored: Pick<StoredOnboardingPlan, 'id' | 'actor' | 'createdAt' | 'target'>;
  plan: OnboardingPlan;
}

export interface PlanOnboardingDeps extends OnboardingReaders {
  store: Pick<OnboardingPlanStore, 'saveOnboardingPlan'> & Pick<AuditLog, 'appendAudit'>;
}

/**
 * Reads, plans, stores the plan (so Apply applies exactly it) and audits it. The plan card is
 * the dry run: nothing is written to the tenant until an admin presses Apply.
 */
export async function planOnboardingGroup(
  deps: PlanOnboardingDeps,
  target: OnboardTarget,
  actor: AuditActor,
  now: Date,
  log: Logger,
): Promise<PlannedOnboarding> {
  const state = await readOnboardingState(deps, target, log);
  const plan = planOnboarding(state, {
    smartGroups: desiredSmartGroups(deps.config.criteria),
    requiredApp: deps.config.criteria.requiredApp,
  });
  const stored = { id: randomUUID(), createdAt: now.toISOString(), actor, target: target.value };
  await deps.store.saveOnboardingPlan({ ...stored, plan: plan as unknown as Record<string, unknown> });
  await deps.store.appendAudit({
    at: stored.createdAt,
    actor,
    action: 'onboard group',
    target: plan.groupLabel,
    outcome: 'planned',
    details: {
      planId: stored.id,
      summary: `Planned ${plan.changeCount} change(s); ${plan.attentionCount} step(s) need a person.`,
      rule: target.rule,
      steps: plan.steps.map((s) => ({
        number: s.number,
        status: s.status,
        changes: s.changes,
        fixes: s.fixes.length,
      })),
    },
  });
  log.info({ planId: stored.id, changes: plan.changeCount }, 'onboard: planned');
  return { stored, plan };
}
