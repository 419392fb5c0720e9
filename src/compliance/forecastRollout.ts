import { DAY_MS } from './readMacFacts';
/** Days of daily snapshots (ending today) the forecast's line is fitted through. */
export const FORECAST_WINDOW_DAYS = 14;
/** Fewer snapshots than this in the window: no forecast yet (a line through a few days says little). */
export const FORECAST_MIN_POINTS = 7;
/** A pace at or below this (percentage points a day) is flat: "not at this pace". */
export const FLAT_PACE_PER_DAY = 0.05;
/** The range is the fitted pace ± this many standard errors of the slope (~95 %). */
export const PACE_STANDARD_ERRORS = 2;

/** How the forecast date compares with `ROLLOUT_DEADLINE`. */
export type DeadlineCheck =
  | { deadline: string; status: 'on_track'; spareDays: number }
  | { deadline: string; status: 'late'; daysLate: number }
  /** The trend never reaches the target: the deadline is missed unless the pace picks up. */
  | { deadline: string; status: 'missed' };

/** The fitted line: the pace in percentage points a day and its standard error. */
export interface RolloutPace {
  perDay: number;
  standardError: number;
  /** Snapshots the line was fitted through. */
  points: number;
}

export type RolloutForecast =
  | { kind: 'reached'; targetPercent: number; percent: number }
  | { kind: 'too_short'; targetPercent: number; points: number; needed: number }
  | { kind: 'not_at_this_pace'; targetPercent: number; pace: RolloutPace; deadline: DeadlineCheck | null }
  | {
      kind: 'date';
      targetPercent: number;
      pace: RolloutPace;
      /** `YYYY-MM-DD` (UTC): the day the line from today's share reaches the target. */
      date: string;
      /** The range: at the pace plus, and minus, two standard errors; `latest` null when the slower pace is flat. */
      earliest: string;
      latest: string | null;
      deadline: DeadlineCheck | null;
    };

const dayNumber = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
const dayString = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

/**
 * When the fleet reaches `targetPercent` compliant at the current pace. The method, as the card
 * states it: a least-squares line through the daily snapshots of the last `FORECAST_WINDOW_DAYS`
 * days (day gaps count as days), its slope the pace; from today's share, the target is reached
 * after (target − today) / pace days. The range uses the pace ± 2 standard errors of the slope
 * (from the line's residuals): a noisy trend gives a wide range, a slower pace that is flat gives
 * no later bound. A pace at or below `FLAT_PACE_PER_DAY` is "not at this pace". Pure.
 *
 * `history` is oldest first and ends with today's snapshot (`today`).
 */
export function forecastRollout(opts: {
  history: readonly { day: string; percentCompliant: number }[];
  today: string;
  targetPercent: number;
  /** `ROLLOUT_DEADLINE` (`YYYY-MM-DD`), or null. */
  deadline: string | null;
  windowDays?: number;
  minPoints?: number;
}): RolloutForecast {
  const { targetPercent } = opts;
  const windowDays = opts.windowDays ?? FORECAST_WINDOW_DAYS;
  const needed = opts.minPoints ?? FORECAST_MIN_POINTS;
  const today = dayNumber(opts.today);
  const points = opts.history
    .map((s) => ({ x: dayNumber(s.day) - today, y: s.percentCompliant }))
    .filter((p) => p.x <= 0 && p.x > -windowDays && Number.isFinite(p.x) && Number.isFinite(p.y));
  const current = points.find((p) => p.x === 0)?.y ?? points[points.length - 1]?.y;
  if (current !== undefined && current >= targetPercent)
    return { kind: 'reached', targetPercent, percent: current };
  const n = points.length;
  const xMean = points.reduce((sum, p) => sum + p.x, 0) / n;
  const yMean = points.reduce((sum, p) => sum + p.y, 0) / n;
  const sxx = points.reduce((sum, p) => sum + (p.x - xMean) ** 2, 0);
  if (n < needed || current === undefined || sxx === 0)
    return { kind: 'too_short', targetPercent, points: n, needed };

  const perDay = points.reduce((sum, p) => sum + (p.x - xMean) * (p.y - yMean), 0) / sxx;
  const intercept = yMean - perDay * xMean;
  const residuals = points.reduce((sum, p) => sum + (p.y - (intercept + perDay * p.x)) ** 2, 0);
  const standardError = n > 2 ? Math.sqrt(residuals / (n - 2) / sxx) : 0;
  const pace: RolloutPace = { perDay, standardError, points: n };

  const daysAt = (rate: number): number | null => {
    // At most 100 / FLAT_PACE_PER_DAY days (2,000): a slow pace gives a distant date, honestly.
    if (rate <= FLAT_PACE_PER_DAY) return null;
    return Math.ceil((targetPercent - current) / rate);
  };
  const days = daysAt(perDay);
  if (days === null)
    return {
      kind: 'not_at_this_pace',
      targetPercent,
      pace,
      deadline: opts.deadline ? { deadline: opts.deadline, status: 'missed' } : null,
    };
  const early = daysAt(perDay + PACE_STANDARD_ERRORS * standardError) ?? days;
  const late = daysAt(perDay - PACE_STANDARD_ERRORS * standardError);
  return {
    kind: 'date',
    targetPercent,
    pace,
    date: dayString(today + days),
    earliest: dayString(today + early),
    latest: late === null ? null : dayString(today + late),
    deadline: opts.deadline ? compareWithDeadline(today + days, opts.deadline) : null,
  };
}

function compareWithDeadline(reachedDay: number, deadline: string): DeadlineCheck {
  const diff = dayNumber(deadline) - reachedDay;
  return diff >= 0
    ? { deadline, status: 'on_track', spareDays: diff }
    : { deadline, status: 'late', daysLate: -diff };
}
