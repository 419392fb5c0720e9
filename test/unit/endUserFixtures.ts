/**
 * The end-user card tests' people and Macs: one record per verdict, and the caller's Macs as
 * `lookupCallerMacs` answers them, diagnosed under the seed's criteria at `NOW`.
 */
import type { CallerMacs } from '../../src/compliance/callerMacs';
import { DEFAULT_CRITERIA } from '../../src/compliance/defaultCriteria';
import { diagnoseMac } from '../../src/compliance/diagnoseMac';
import type { Verdict } from '../../src/compliance/diagnosisTypes';
import type { MacRecord } from '../../src/compliance/types';
import { APPLICABLE, DAY, HOUR, NOW, ago, entraDevice, entraUser, macRecord } from './complianceFixtures';

/** One record per verdict, from the shared fixtures. */
export const RECORDS: Record<Verdict, MacRecord> = {
  compliant: macRecord(),
  not_applicable: macRecord({ jamf: { groups: [] } }),
  stale: macRecord({ jamf: { reportDate: ago(30 * DAY), groups: [APPLICABLE] } }),
  not_registered: macRecord({ entra: null, joinedBy: 'none' }),
  not_compliant: macRecord({ jamf: { fileVault2Status: 'BOOT_ENCRYPTED', groups: [APPLICABLE] } }),
  out_of_sync: macRecord({
    jamf: { reportDate: ago(20 * HOUR) },
    entra: entraDevice({ isCompliant: false }),
  }),
  waiting_first_report: macRecord({
    entra: entraDevice({ isCompliant: null, registrationDateTime: ago(2 * HOUR) }),
  }),
};

/** The caller's Macs, each diagnosed; `over` sets what a test is about. */
export const callerWith = (records: MacRecord[], over: Partial<CallerMacs> = {}): CallerMacs => ({
  user: entraUser(),
  macs: records.map((record) => ({ record, diagnosis: diagnoseMac(record, DEFAULT_CRITERIA, NOW) })),
  entraOnly: [],
  inConnectorGroup: true,
  connectorGroupName: 'Jamf Device Compliance Users',
  failures: [],
  ...over,
});
