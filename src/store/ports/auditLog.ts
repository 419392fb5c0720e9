import type { AuditEntry } from '../../compliance/auditTypes';

/** The append-only audit log. */
export interface AuditLog {
  /** Appends one audit entry; resolves to its id. */
  appendAudit(entry: Omit<AuditEntry, 'id'>): Promise<number>;
  /** The newest entries first; `beforeId` pages further back. */
  listAudit(opts: { limit: number; beforeId?: number; action?: string }): Promise<AuditEntry[]>;
}
