import { auditConditionalAccess, type CaAudit } from '../compliance/auditConditionalAccess';
import type { GraphClient } from '../upstream/graph/graphClient';

/**
 * Audits the tenant's Conditional Access policies against the registration app (`ca audit`):
 * the policies and the registration app are read in parallel.
 */
export async function loadCaAudit(
  graph: Pick<GraphClient, 'listConditionalAccessPolicies' | 'findServicePrincipal'>,
  registrationAppId: string,
): Promise<CaAudit> {
  const [policies, app] = await Promise.all([
    graph.listConditionalAccessPolicies(),
    graph.findServicePrincipal({ appId: registrationAppId }),
  ]);
  return auditConditionalAccess(policies, { registrationAppId, registrationAppFound: app !== null });
}
