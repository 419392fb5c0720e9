import { DEFAULT_CRITERIA } from '../../src/compliance/defaultCriteria';
import { diagnoseMac } from '../../src/compliance/diagnoseMac';
import type { Diagnosis, Reason, ReasonCode, Verdict } from '../../src/compliance/diagnosisTypes';
import { summarizeFleet } from '../../src/compliance/summarizeFleet';
import type { MacRecord } from '../../src/compliance/types';
import { APPLICABLE, DAY, HOUR, NOW, ago, entraDevice, macRecord } from './complianceFixtures';

const problem = (code: ReasonCode): Reason => ({
  code,
  criterion: 'registration',
  level: 'problem',
  detail: code,
  fix: { who: 'user', text: 'fix' },
});
const diag = (verdict: Verdict, ...reasons: Reason[]): Diagnosis => ({
  verdict,
  headline: verdict,
  severity: 'attention',
  reasons,
  nextStep: reasons[0] ?? null,
});
const zero: Record<Verdict, number> = {
  not_applicable: 0,
  stale: 0,
  not_registered: 0,
  not_compliant: 0,
  out_of_sync: 0,
  waiting_first_report: 0,
  compliant: 0,
};

describe('summarizeFleet', () => {
  it('an empty fleet: all zero, 0 % compliant, no reasons', () => {
    expect(summarizeFleet([])).toEqual({
      total: 0,
      byVerdict: zero,
      applicable: 0,
      percentCompliant: 0,
      topReasons: [],
    });
  });

  it('counts a real mixed fleet by verdict, and % compliant of the applicable Macs only', () => {
    const fleet: MacRecord[] = [
      macRecord(),
      macRecord({ joinedBy: 'name' }),
      macRecord({ jamf: { groups: [] } }),
      macRecord({ jamf: { groups: [] }, entra: null }),
      macRecord({ entra: null }),
      macRecord({ entra: null, userInConnectorGroup: false }),
      macRecord({ jamf: { reportDate: ago(30 * DAY) } }),
      macRecord({ jamf: { groups: [APPLICABLE], fileVault2Status: 'NOT_ENCRYPTED' } }),
      macRecord({ entra: entraDevice({ isCompliant: null, registrationDateTime: ago(HOUR) }) }),
      macRecord({ jamf: { reportDate: ago(DAY) }, entra: entraDevice({ isCompliant: null }) }),
    ];
    const s = summarizeFleet(fleet.map((r) => diagnoseMac(r, DEFAULT_CRITERIA, NOW)));
    expect(s.total).toBe(10);
    expect(s.byVerdict).toEqual({
      ...zero,
      compliant: 2,
      not_applicable: 2,
      not_registered: 2,
      stale: 1,
      not_compliant: 1,
      waiting_first_report: 1,
      out_of_sync: 1,
    });
    expect(s.applicable).toBe(8);
    expect(s.percentCompliant).toBe(25);
    // Warnings (the weak join) and out-of-scope Macs do not count; ties keep the what-first order.
    expect(s.topReasons).toEqual([
      { code: 'no_entra_device', count: 2, label: 'Not registered with Entra ID' },
      { code: 'inventory_stale', count: 1, label: 'No recent inventory (stale)' },
      { code: 'user_not_in_connector_group', count: 1, label: "User not in the connector's group" },
      { code: 'filevault_not_all_encrypted', count: 1, label: 'FileVault not on for all disks' },
      { code: 'not_in_compliance_group', count: 1, label: 'Not in the Compliance group' },
    ]);
  });

  it('rounds the percentage to one decimal', () => {
    const s = summarizeFleet([diag('compliant'), diag('not_registered'), diag('stale')]);
    expect(s.percentCompliant).toBe(33.3);
    expect(summarizeFleet([diag('compliant'), diag('compliant'), diag('stale')]).percentCompliant).toBe(66.7);
  });

  it('a fleet with nothing applicable is 0 % compliant, not NaN', () => {
    const s = summarizeFleet([diag('not_applicable', problem('not_in_applicable_group'))]);
    expect(s).toMatchObject({ total: 1, applicable: 0, percentCompliant: 0, topReasons: [] });
  });

  it('an all-compliant fleet is 100 %', () => {
    expect(summarizeFleet([diag('compliant'), diag('compliant')]).percentCompliant).toBe(100);
  });

  it('counts each code once per Mac, most frequent first, and honours topN', () => {
    const fleet = [
      diag(
        'not_compliant',
        problem('inventory_old'),
        problem('inventory_old'),
        problem('not_in_compliance_group'),
      ),
      diag('not_compliant', problem('filevault_not_all_encrypted'), problem('not_in_compliance_group')),
      diag('not_compliant', problem('filevault_not_all_encrypted'), problem('not_in_compliance_group')),
    ];
    expect(summarizeFleet(fleet).topReasons.map((r) => [r.code, r.count])).toEqual([
      ['not_in_compliance_group', 3],
      ['filevault_not_all_encrypted', 2],
      ['inventory_old', 1],
    ]);
    expect(summarizeFleet(fleet, 1).topReasons.map((r) => r.code)).toEqual(['not_in_compliance_group']);
    expect(summarizeFleet(fleet, 0).topReasons).toEqual([]);
  });

  it('ignores warnings when ranking reasons', () => {
    const warning: Reason = { ...problem('weak_join'), level: 'warning' };
    expect(summarizeFleet([diag('compliant', warning)]).topReasons).toEqual([]);
  });
});
