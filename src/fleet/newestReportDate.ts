import { parseTimestamp } from '../compliance/parseTimestamp';
import type { JamfComputer } from '../compliance/types';

/** The newest `reportDate` among `computers` and `since` (ISO, as Jamf wrote it), or null when there is none. */
export function newestReportDate(computers: Iterable<JamfComputer>, since: string | null): string | null {
  let best = since;
  let bestMs = parseTimestamp(since) ?? -Infinity;
  for (const c of computers) {
    const ms = parseTimestamp(c.reportDate);
    if (ms !== null && ms > bestMs) {
      best = c.reportDate;
      bestMs = ms;
    }
  }
  return best;
}
