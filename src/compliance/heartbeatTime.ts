/**
 * Intune's "never reported": `complianceManagementPartner.lastHeartbeatDateTime` is a
 * non-nullable `Edm.DateTimeOffset` in the v1.0 CSDL, so a partner that never sent a heartbeat
 * carries the minimum date (`0001-01-01T00:00:00Z`, in any precision or zero offset) rather than
 * `null`. Both mean the same; read as a date, the minimum would be "2,025 years ago".
 */
const MIN_DATE = /^0001-01-01T00:00:00(\.0+)?(Z|[+-]00:00)?$/i;

/** Whether `iso` is the minimum date Intune sends for "never". */
export function isMinDateTime(iso: string): boolean {
  return MIN_DATE.test(iso.trim());
}

/** Epoch milliseconds of a heartbeat, or null when there is none (null, unreadable, or the minimum date). */
export function heartbeatTime(iso: string | null | undefined): number | null {
  if (iso === null || iso === undefined || isMinDateTime(iso)) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}
