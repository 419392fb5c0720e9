const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * A duration as a person says it: minutes under an hour, hours under two days, else days —
 * always rounded down, so "2 days" never stands for 47 hours and boundaries read truthfully.
 */
export function describeDuration(ms: number): string {
  const d = Math.max(0, ms);
  if (d < MINUTE_MS) return 'less than a minute';
  if (d < HOUR_MS) return plural(Math.floor(d / MINUTE_MS), 'minute');
  if (d < 2 * DAY_MS) return plural(Math.floor(d / HOUR_MS), 'hour');
  return plural(Math.floor(d / DAY_MS), 'day');
}
