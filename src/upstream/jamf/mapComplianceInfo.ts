import type { JamfComplianceInfo, JamfComplianceState } from '../../compliance/types';
import type { ComplianceWire } from './jamfWire';

const STATES = new Set<string>(['UNKNOWN', 'NON_COMPLIANT', 'COMPLIANT']);

/**
 * Jamf's device-compliance records for one computer → what it reported to Intune. Prefers the
 * Intune record when there are several vendors. `complianceVendorDeviceInformation` is read in
 * every shape seen: `{deviceIds: [...]}` (the schema), `[{deviceIds: [...]}]` (the schema's
 * example), and `deviceIds` as one string or an object of strings. Null when Jamf has no record.
 */
export function mapComplianceInfo(computerId: string, records: ComplianceWire): JamfComplianceInfo | null {
  const r = records.find((x) => /intune/i.test(x.complianceVendor ?? '')) ?? records[0];
  if (!r) return null;
  const state = r.complianceState ?? 'UNKNOWN';
  return {
    computerId,
    applicable: r.applicable ?? false,
    complianceState: STATES.has(state) ? (state as JamfComplianceState) : 'UNKNOWN',
    entraDeviceIds: [...new Set(deviceIds(r.complianceVendorDeviceInformation))],
  };
}

function deviceIds(info: unknown): string[] {
  if (Array.isArray(info)) return info.flatMap(deviceIds);
  if (typeof info !== 'object' || info === null) return [];
  return strings((info as { deviceIds?: unknown }).deviceIds);
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return v === '' ? [] : [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (typeof v === 'object' && v !== null) return Object.values(v).flatMap(strings);
  return [];
}
