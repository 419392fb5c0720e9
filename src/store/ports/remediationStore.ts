import type { RemediationResult, StoredRemediation } from '../../compliance/remediationTypes';

/**
 * Device-card fixes (issue 19), one row per confirm card under its idempotency key: Confirm
 * claims the row once (`planned` → `running`), so a second press or a replayed invoke sends
 * nothing and reads the first one's result.
 */
export interface RemediationStore {
  /** Stores a planned fix; rows older than a week are dropped (the audit log keeps them). */
  saveRemediation(r: Omit<StoredRemediation, 'state' | 'result' | 'updatedAt'>): Promise<void>;
  getRemediation(key: string): Promise<StoredRemediation | null>;
  /** `planned` → `running`, atomically; false when it is not `planned` any more (pressed before). */
  claimRemediation(key: string, at: string): Promise<boolean>;
  finishRemediation(key: string, result: RemediationResult, at: string): Promise<void>;
}
