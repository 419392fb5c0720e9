const UNITS: [unit: Intl.RelativeTimeFormatUnit, ms: number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "3 days ago", "in 2 hours", "just now" — for cards read on a phone. */
export function formatRelative(iso: string | null | undefined, now: Date): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return 'never';
  const diff = t - now.getTime();
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return relative.format(Math.trunc(diff / ms), unit);
  }
  return 'just now';
}

// Built once: toLocale*String builds a new Intl formatter on every call, which is slow.
const DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });

/** "23 Nov 2026, 10:04 UTC" — the absolute date shown beside the relative one. */
export function formatAbsolute(iso: string | null | undefined): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return '';
  return `${DATE.format(t)}, ${TIME.format(t)} UTC`;
}

const DAY = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "Monday, 1 December 2026" for a `YYYY-MM-DD` day (a deadline); not a date: as given. */
export function formatDay(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? day : DAY.format(t);
}

/** "15 Dec 2026" for a `YYYY-MM-DD` day (UTC); not a date: as given. */
export function formatShortDay(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? day : DATE.format(t);
}

/** Relative with the absolute date after it: "3 days ago (23 Nov 2026, 10:04 UTC)". */
export function formatWhen(iso: string | null | undefined, now: Date): string {
  const abs = formatAbsolute(iso);
  return abs ? `${formatRelative(iso, now)} (${abs})` : 'never';
}
