import { randomUUID } from 'node:crypto';
import type { AuditActor } from '../compliance/auditTypes';
import type { StoredOnboardingPlan } from '../compliance/onboardingPlanRecordTypes';
import type { WebhookPlan } from '../compliance/planJamfWebhooks';
import type { Logger } from '../log';
import type { AuditLog } from '../store/ports/auditLog';
import type { OnboardingPlanStore } from '../store/ports/onboardingPlanStore';
import { readWebhookSetup, type WebhookSetupBlocked, type WebhookSetupDeps } from './readWebhookSetup';

/** The stored plan's `target`, and its kind (plans share the onboarding plan store). */
export const WEBHOOK_PLAN_TARGET = 'Jamf Pro webhooks';
export const WEBHOOK_PLAN_KIND = 'jamfWebhooks';

/** A plan as the card shows it: who planned it and when, and what it would do. */
export interface PlannedWebhooks {
  kind: 'planned';
  stored: Pick<StoredOnboardingPlan, 'id' | 'actor' | 'createdAt' | 'target'>;
  plan: WebhookPlan;
}

export interface PlanWebhookSetupDeps extends WebhookSetupDeps {
  store: Pick<OnboardingPlanStore, 'saveOnboardingPlan'> & Pick<AuditLog, 'appendAudit'>;
}

/** What the audit log keeps of a plan: the webhooks and their actions (no secret, no header value). */
export function auditedPlan(plan: WebhookPlan): Record<string, unknown> {
  return {
    url: plan.url,
    headerName: plan.headerName,
    webhooks: plan.items.map((i) => ({
      name: i.desired.name,
      event: i.desired.event,
      smartGroupId: i.desired.smartGroupId,
      action: i.action,
      id: i.existingId,
      changes: i.changes,
    })),
  };
}

/**
 * `setup webhooks`: reads what Jamf Pro has, plans, stores the plan (Apply's button carries only
 * its id) and audits it. Nothing is written to Jamf Pro until an admin presses Apply.
 */
export async function planWebhookSetup(
  deps: PlanWebhookSetupDeps,
  actor: AuditActor,
  now: Date,
  log: Logger,
): Promise<PlannedWebhooks | WebhookSetupBlocked> {
  const state = await readWebhookSetup(deps);
  if (state.kind === 'blocked') {
    log.info({ reason: state.reason }, 'setup webhooks: blocked');
    return state;
  }
  const stored = { id: randomUUID(), createdAt: now.toISOString(), actor, target: WEBHOOK_PLAN_TARGET };
  // The stored plan holds no secret: Apply takes it from the configuration again.
  await deps.store.saveOnboardingPlan({
    ...stored,
    plan: { kind: WEBHOOK_PLAN_KIND, ...(state.plan as unknown as Record<string, unknown>) },
  });
  await deps.store.appendAudit({
    at: stored.createdAt,
    actor,
    action: 'setup webhooks',
    target: WEBHOOK_PLAN_TARGET,
    outcome: 'planned',
    details: {
      planId: stored.id,
      summary: `Planned ${state.plan.changeCount} change(s).`,
      ...auditedPlan(state.plan),
    },
  });
  log.info({ planId: stored.id, changes: state.plan.changeCount }, 'setup webhooks: planned');
  return { kind: 'planned', stored, plan: state.plan };
}
