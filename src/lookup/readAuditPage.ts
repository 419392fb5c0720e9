import type { AuditEntry } from '../compliance/auditTypes';
import type { AuditLog } from '../store/ports/auditLog';

/** Entries per page: enough to follow one Apply, short enough to read on a phone. */
export const AUDIT_PAGE_SIZE = 10;

export interface AuditPageQuery {
  /** Entries older than this id (the Older button); absent = the newest. */
  beforeId?: number;
  /** Only entries of this action, e.g. `onboard.apply`. */
  action?: string;
}

/** One page of the audit log, newest first, and whether an older page exists. */
export interface AuditPage {
  entries: AuditEntry[];
  hasOlder: boolean;
}

/** Reads one page of the audit log for the `audit` command and its Older / Newest buttons. */
export async function readAuditPage(
  store: Pick<AuditLog, 'listAudit'>,
  query: AuditPageQuery,
): Promise<AuditPage> {
  // One more than shown tells whether an Older page exists.
  const rows = await store.listAudit({ limit: AUDIT_PAGE_SIZE + 1, ...query });
  return { entries: rows.slice(0, AUDIT_PAGE_SIZE), hasOlder: rows.length > AUDIT_PAGE_SIZE };
}
