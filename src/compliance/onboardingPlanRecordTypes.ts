import type { AuditActor } from './auditTypes';

export type OnboardingPlanStatus = 'planned' | 'running' | 'applied' | 'failed';

/**
 * A computed `onboard group` plan, kept so **Apply** applies exactly the plan the card showed
 * (the card carries only its id). `plan` is opaque to the store. Unlike the audit log, its
 * status changes: `planned` → `running` → `applied` | `failed` (and may be applied again).
 */
export interface StoredOnboardingPlan {
  id: string;
  createdAt: string;
  actor: AuditActor;
  /** The group it onboards, as typed. */
  target: string;
  plan: Record<string, unknown>;
  status: OnboardingPlanStatus;
  updatedAt: string;
}
