import type { OnboardingPlan, OnboardingRun } from '../compliance/onboardingTypes';
import type { Logger } from '../log';
import type { AuditActor } from '../compliance/auditTypes';
import type { PlannedOnboarding } from './planOnboardingGroup';
import { WEBHOOK_PLAN_KIND } from './planWebhookSetup';
import { runOnboardingPlan, type RunOnboardingOptions } from './runOnboardingPlan';
import type { AuditLog } from '../store/ports/auditLog';
import type { OnboardingPlanStore } from '../store/ports/onboardingPlanStore';

/** A plan older than this is not applied: the tenant may have changed since it was shown. */
export const PLAN_MAX_AGE_MS = 60 * 60_000;
/** An Apply that has not finished after this long is assumed dead (a crash) and may be retried. */
const RUN_STALE_MS = 10 * 60_000;

export interface ApplyPlanDeps {
  writers: RunOnboardingOptions['deps'];
  store: Pick<OnboardingPlanStore, 'getOnboardingPlan' | 'claimOnboardingPlan' | 'finishOnboardingPlan'> &
    Pick<AuditLog, 'appendAudit'>;
}

export interface ApplyPlanOptions {
  planId: string;
  actor: AuditActor;
  now: () => Date;
  log: Logger;
  /** Called after each step with the run so far (the card is updated in place from it). */
  onProgress: (planned: PlannedOnboarding, run: OnboardingRun) => Promise<void>;
}

/** What Apply did: no such plan, refused (too old, or already running; audited), or ran. */
export type ApplyPlanResult =
  | { kind: 'unknown' }
  | { kind: 'refused'; reason: 'too_old' | 'busy' }
  | (PlannedOnboarding & { kind: 'ran'; run: OnboardingRun });

/**
 * **Apply** on the plan card: runs the stored plan's writes in order (each re-read first),
 * reporting the run after every step. One run at a time per plan; an old plan is refused.
 */
export async function applyStoredOnboardingPlan(
  deps: ApplyPlanDeps,
  opts: ApplyPlanOptions,
): Promise<ApplyPlanResult> {
  const { store } = deps;
  const { planId, actor } = opts;
  const stored = await store.getOnboardingPlan(planId);
  // `setup webhooks` keeps its plans in the same store: never run one as an onboarding plan.
  if (!stored || stored.plan.kind === WEBHOOK_PLAN_KIND) return { kind: 'unknown' };
  const now = opts.now();
  const refuse = async (reason: 'too_old' | 'busy', why: string): Promise<ApplyPlanResult> => {
    await store.appendAudit({
      at: now.toISOString(),
      actor,
      action: 'onboard.apply',
      target: stored.target,
      outcome: 'refused',
      details: { planId, reason: why },
    });
    return { kind: 'refused', reason };
  };
  if (now.getTime() - Date.parse(stored.createdAt) > PLAN_MAX_AGE_MS)
    return refuse('too_old', 'plan older than an hour');
  const claimed = await store.claimOnboardingPlan(
    planId,
    now.toISOString(),
    new Date(now.getTime() - RUN_STALE_MS).toISOString(),
  );
  if (!claimed) return refuse('busy', 'already being applied');
  const planned: PlannedOnboarding = { stored, plan: stored.plan as unknown as OnboardingPlan };
  let run: OnboardingRun;
  try {
    run = await runOnboardingPlan({
      deps: deps.writers,
      plan: planned.plan,
      planId,
      actor,
      now: opts.now,
      log: opts.log,
      onProgress: (r) => opts.onProgress(planned, r),
    });
  } catch (e) {
    await store.finishOnboardingPlan(planId, 'failed', opts.now().toISOString());
    throw e;
  }
  await store.finishOnboardingPlan(
    planId,
    run.outcome === 'applied' ? 'applied' : 'failed',
    opts.now().toISOString(),
  );
  return { ...planned, kind: 'ran', run };
}
