/** Epoch milliseconds of an ISO-8601 string; null for a missing or unparseable date, never NaN. */
export function parseTimestamp(iso: string | null | undefined): number | null {
  if (iso === null || iso === undefined || iso.trim() === '') return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}
