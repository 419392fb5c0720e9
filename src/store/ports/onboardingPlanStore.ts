import type { StoredOnboardingPlan } from '../../compliance/onboardingPlanRecordTypes';

/** Computed `onboard group` plans, kept until Apply runs exactly the plan the card showed. */
export interface OnboardingPlanStore {
  /**
   * Stores a new plan (status `planned`). Plans more than a week older than it are dropped: they
   * can no longer be applied, and the audit log keeps what each one planned.
   */
  saveOnboardingPlan(plan: Omit<StoredOnboardingPlan, 'status' | 'updatedAt'>): Promise<void>;
  getOnboardingPlan(id: string): Promise<StoredOnboardingPlan | null>;
  /**
   * Marks a plan `running` for one Apply, atomically: false when another run holds it (a run
   * last updated before `staleBefore` is taken over, so a crash does not lock a plan forever).
   */
  claimOnboardingPlan(id: string, at: string, staleBefore: string): Promise<boolean>;
  finishOnboardingPlan(id: string, status: 'applied' | 'failed', at: string): Promise<void>;
}
