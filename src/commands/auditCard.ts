import { auditLogCardModel } from '../cards/auditLogCardModel';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { AuditPage, AuditPageQuery } from '../lookup/readAuditPage';

export interface AuditLogDeps {
  /** One page of the audit log, newest first (src/lookup/readAuditPage). */
  readAuditPage: (query: AuditPageQuery) => Promise<AuditPage>;
}

/** The audit card for one page, with Older when there is more. */
export async function auditCard(deps: AuditLogDeps, query: AuditPageQuery): Promise<AdaptiveCard> {
  const page = await deps.readAuditPage(query);
  return renderCard('auditLog', auditLogCardModel(page.entries, { ...query, hasOlder: page.hasOlder }));
}
