import type { Diagnosis } from './diagnosisTypes';
import type { RemediationKind } from './remediationTypes';
import type { MacRecord } from './types';

/** Verdicts a personal reminder with the Self Service link can help: registering is the user's step. */
export const SEND_FIX_VERDICTS: readonly Diagnosis['verdict'][] = ['not_registered', 'waiting_first_report'];

/**
 * The fixes a device card offers for one diagnosed Mac — only those that can help its verdict:
 * - *Recalculate smart groups* when Jamf's Compliance group is out of date with the Mac's facts
 *   (every check the bot knows passes, yet it is not a member; or out of sync with Entra ID);
 * - *Wake the Mac* when it is stale (no inventory for too long);
 * - *Add the user to the connector group* when the Mac's user is outside the connector's scope
 *   and that group is known;
 * - *Send the user the fix* when the Mac is not registered or waits for its first report, and it
 *   has a user to send it to.
 */
export function remediationsFor(
  record: MacRecord,
  diagnosis: Diagnosis,
  context: { connectorGroupId: string | null },
): RemediationKind[] {
  const out: RemediationKind[] = [];
  const { verdict, reasons } = diagnosis;
  const groupOutOfDate = reasons.some((r) => r.code === 'not_in_compliance_group' && r.fix.who === 'it');
  if ((verdict === 'not_compliant' && groupOutOfDate) || verdict === 'out_of_sync') out.push('recalculate');
  if (verdict === 'stale') out.push('wake');
  if (
    record.user !== null &&
    context.connectorGroupId !== null &&
    reasons.some((r) => r.code === 'user_not_in_connector_group')
  )
    out.push('add-to-group');
  if (record.user !== null && SEND_FIX_VERDICTS.includes(verdict)) out.push('send-fix');
  return out;
}
