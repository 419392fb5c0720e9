import type { ComplianceObservation } from '../store/ports/complianceHistoryStore';
import type { DiagnosedFleet } from '../lookup/diagnoseFleetSnapshot';

/** Every applicable Mac of a diagnosed fleet, compliant or not (verdict `compliant`), with its user. */
export function fleetObservations(
  fleet: Pick<DiagnosedFleet, 'records' | 'verdicts'>,
): ComplianceObservation[] {
  const out: ComplianceObservation[] = [];
  fleet.records.forEach((r, i) => {
    const verdict = fleet.verdicts[i];
    if (!verdict || verdict === 'not_applicable') return;
    out.push({ jamfId: r.jamf.id, userId: r.user?.id ?? null, compliant: verdict === 'compliant' });
  });
  return out;
}
