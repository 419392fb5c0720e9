import { describeDuration } from '../compliance/describeDuration';
import { ENGLISH, type Translator } from './i18n/translator';

/**
 * Dates for cards, in the reader's locale and time zone (`Translator`; admin cards and unknown
 * readers get English in UTC). Intl formatters are built once per locale and zone: toLocale*String
 * builds a new one on every call, which is slow.
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>(
  key: string,
  make: () => T,
): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) {
    if (formatters.size > 2_000) formatters.clear();
    f = make();
    formatters.set(key, f);
  }
  return f;
}

const UNITS: [unit: Intl.RelativeTimeFormatUnit, ms: number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 days ago", "in 2 hours", "just now" — for cards read on a phone. */
export function formatRelative(iso: string | null | undefined, now: Date, tr: Translator = ENGLISH): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return tr.t('time.never');
  const diff = t - now.getTime();
  // English keeps the plain `en` wording the cards always had ("yesterday", "3 days ago").
  const lang = tr.language === 'en' ? 'en' : tr.locale;
  const relative = cached(`rel|${lang}`, () => new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }));
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return relative.format(Math.trunc(diff / ms), unit);
  }
  return tr.t('time.justNow');
}

const dateTime = (tr: Translator) =>
  cached(
    `abs|${tr.locale}|${tr.timeZone}`,
    () =>
      new Intl.DateTimeFormat(tr.locale, {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: tr.timeZone,
        timeZoneName: 'short',
      }),
  );

/** "23 Nov 2026, 10:04 UTC" (`2026年11月23日 19:04 JST`) — the absolute date beside the relative one. */
export function formatAbsolute(iso: string | null | undefined, tr: Translator = ENGLISH): string {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? '' : dateTime(tr).format(t);
}

/** "10:04 UTC" in the reader's zone: a time earlier today. */
export function formatTime(iso: string, tr: Translator = ENGLISH): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return cached(
    `time|${tr.locale}|${tr.timeZone}`,
    () =>
      new Intl.DateTimeFormat(tr.locale, {
        hour: '2-digit',
        minute: '2-digit',
        timeZone: tr.timeZone,
        timeZoneName: 'short',
      }),
  ).format(t);
}

// A `YYYY-MM-DD` day is a calendar day, not an instant: written as such, never shifted by a zone.
const dayFormat = (tr: Translator, style: 'long' | 'short') =>
  cached(
    `day|${style}|${tr.locale}`,
    () =>
      new Intl.DateTimeFormat(
        tr.locale,
        style === 'long'
          ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }
          : { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' },
      ),
  );

/** "Monday, 1 December 2026" for a `YYYY-MM-DD` day (a deadline); not a date: as given. */
export function formatDay(day: string, tr: Translator = ENGLISH): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? day : dayFormat(tr, 'long').format(t);
}

/** "15 Dec 2026" for a `YYYY-MM-DD` day (UTC); not a date: as given. */
export function formatShortDay(day: string, tr: Translator = ENGLISH): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? day : dayFormat(tr, 'short').format(t);
}

/** Relative with the absolute date after it: "3 days ago (23 Nov 2026, 10:04 UTC)". */
export function formatWhen(iso: string | null | undefined, now: Date, tr: Translator = ENGLISH): string {
  const abs = formatAbsolute(iso, tr);
  return abs ? `${formatRelative(iso, now, tr)} (${abs})` : tr.t('time.never');
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/**
 * A duration as a person says it, in their language ("3 Tage", "2 時間"): the same rounding as
 * `describeDuration` (minutes under an hour, hours under two days, else days, rounded down).
 */
export function formatDuration(ms: number, tr: Translator = ENGLISH): string {
  if (tr.language === 'en') return describeDuration(ms);
  const d = Math.max(0, ms);
  if (d < MINUTE_MS) return tr.t('time.underAMinute');
  const [unit, n] =
    d < HOUR_MS
      ? (['minute', Math.floor(d / MINUTE_MS)] as const)
      : d < 2 * DAY_MS
        ? (['hour', Math.floor(d / HOUR_MS)] as const)
        : (['day', Math.floor(d / DAY_MS)] as const);
  return cached(
    `unit|${unit}|${tr.locale}`,
    () => new Intl.NumberFormat(tr.locale, { style: 'unit', unit, unitDisplay: 'long' }),
  ).format(n);
}
