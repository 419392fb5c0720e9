import type { Verdict } from '../compliance/diagnosisTypes';
import type { BatchKind } from '../compliance/remediationBatchTypes';
import { batchButtonTitle } from './remediationBatchCardModel';
import { VERDICT_LABELS } from '../compliance/verdictLabels';
import type { RolloutSnapshot } from '../compliance/rolloutSnapshotTypes';
import {
  FORECAST_WINDOW_DAYS,
  PACE_STANDARD_ERRORS,
  type DeadlineCheck,
  type RolloutForecast,
} from '../compliance/forecastRollout';
import type { Fact, TextColor, TextLine } from './cardParts';
import { fleetFreshness } from './fleetFreshness';
import { formatAbsolute, formatShortDay } from './formatDate';

/** Verdicts in the order an admin reads progress: done, nearly done, then what needs work. */
const ORDER: Verdict[] = [
  'compliant',
  'waiting_first_report',
  'out_of_sync',
  'not_compliant',
  'not_registered',
  'stale',
  'not_applicable',
];

const BAR_WIDTH = 10;

/** "Mon 24" for a `YYYY-MM-DD` day (UTC), short enough for a phone. */
export function dayLabel(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = d.toLocaleDateString('en-GB', { weekday: 'short', timeZone: 'UTC' });
  return `${weekday} ${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** "▇▇▇▇▇▇▇░░░" for 71 %: the text fallback of the trend chart, one line per day. */
export function percentBar(percent: number, width = BAR_WIDTH): string {
  const filled = Math.max(0, Math.min(width, Math.round((percent / 100) * width)));
  return '▇'.repeat(filled) + '░'.repeat(width - filled);
}

/** The `rolloutCard` template's model. */
export interface RolloutCardModel {
  title: string;
  headline: string;
  counts: readonly Fact[];
  reasonsTitle: string;
  reasons: readonly Fact[];
  trendTitle: string;
  hasTrend: boolean;
  /** `Chart.Line` points: day label, % compliant. */
  trendPoints: readonly { x: string; y: number }[];
  /** The chart's text fallback, one bar per day. */
  trendRows: readonly TextLine[];
  noTrend: string;
  /** The forecast section ('' title: none): when the target share is reached at this pace. */
  forecastTitle: string;
  forecast: string;
  /** Against `ROLLOUT_DEADLINE` ('' when none is set or nothing to compare). */
  forecastDeadline: string;
  forecastDeadlineColor: TextColor;
  /** How the forecast is made ('' when there is no forecast). */
  forecastMethod: string;
  /** "Fleet picture as of 4 minutes ago" ('' when unknown). */
  freshness: string;
  footer: string;
  /** The batch fixes' buttons ('' hides one): *Wake all N stale Macs*, *Recalculate all N out-of-sync Macs*. */
  wakeTitle: string;
  recalculateTitle: string;
}

const pct = (n: number): string => `${Number.isInteger(n) ? n : n.toFixed(1)}%`;

/**
 * The rollout card's view model: today's counts by verdict, % compliant, top reasons, and the
 * trend over the stored days — as `Chart.Line` points for Teams, and as monospace text bars
 * ("Mon 24 ▇▇▇▇▇▇▇░░░ 71%") for clients without charts (the chart's `fallback`).
 * `history` is oldest first and includes `today`.
 */
export function rolloutCardModel(opts: {
  today: RolloutSnapshot;
  history: readonly RolloutSnapshot[];
  now: Date;
  /** When the fleet snapshot today's counts come from was last synced. */
  asOf?: Date;
  /** From `forecastRollout` over the stored days; absent: no forecast section. */
  forecast?: RolloutForecast;
  /** Macs each batch fix can help (issue 19); absent or 0: no button. */
  batch?: Readonly<Record<BatchKind, number>>;
}): RolloutCardModel {
  const { today, history } = opts;
  const share = (n: number, of: number) => (of === 0 ? '' : ` (${pct(Math.round((n / of) * 1000) / 10)})`);
  const first = history[0];
  const change =
    first && history.length > 1
      ? Math.round((today.percentCompliant - first.percentCompliant) * 10) / 10
      : null;
  return {
    title: `Rollout: ${pct(today.percentCompliant)} compliant`,
    headline: `${today.byVerdict.compliant ?? 0} of ${today.applicable} applicable Macs are compliant${
      change === null
        ? '.'
        : `, ${change >= 0 ? '+' : '−'}${Math.abs(change)} percentage points since ${dayLabel(first!.day)}.`
    }`,
    counts: ORDER.map((v) => {
      const n = today.byVerdict[v] ?? 0;
      return {
        title: VERDICT_LABELS[v],
        value: `${n}${v === 'not_applicable' ? '' : share(n, today.applicable)}`,
      };
    }),
    reasonsTitle: today.topReasons.length ? 'What keeps Macs from compliance' : '',
    reasons: today.topReasons.map((r) => ({
      title: r.label,
      value: `${r.count} Mac${r.count === 1 ? '' : 's'}`,
    })),
    trendTitle: `% compliant, last ${history.length} day${history.length === 1 ? '' : 's'}`,
    hasTrend: history.length > 1,
    trendPoints: history.map((s) => ({ x: dayLabel(s.day), y: s.percentCompliant })),
    trendRows: history.map((s) => ({
      text: `${dayLabel(s.day)} ${percentBar(s.percentCompliant)} ${pct(Math.round(s.percentCompliant))}`,
    })),
    noTrend: history.length > 1 ? '' : 'The trend starts today: I keep one snapshot a day.',
    ...forecastSection(opts.forecast),
    freshness: opts.asOf ? fleetFreshness(opts.asOf, opts.now) : '',
    footer: `Snapshot ${formatAbsolute(today.takenAt)} · one a day, kept in the bot's database.`,
    wakeTitle: opts.batch?.wake ? batchButtonTitle('wake', opts.batch.wake) : '',
    recalculateTitle: opts.batch?.recalculate ? batchButtonTitle('recalculate', opts.batch.recalculate) : '',
  };
}

type ForecastSection = Pick<
  RolloutCardModel,
  'forecastTitle' | 'forecast' | 'forecastDeadline' | 'forecastDeadlineColor' | 'forecastMethod'
>;

/** "+1.4 points a day"; two decimals under one point ("+0.06"). */
function pace(perDay: number): string {
  const size = Math.abs(perDay);
  const shown = size >= 1 ? Math.round(size * 10) / 10 : Math.round(size * 100) / 100;
  return `${perDay >= 0 ? '+' : '−'}${shown} point${shown === 1 ? '' : 's'} a day`;
}

function deadlineLine(
  check: DeadlineCheck | null,
): Pick<ForecastSection, 'forecastDeadline' | 'forecastDeadlineColor'> {
  if (!check) return { forecastDeadline: '', forecastDeadlineColor: 'Default' };
  const deadline = formatShortDay(check.deadline);
  switch (check.status) {
    case 'on_track':
      return {
        forecastDeadline: `**On track** for the deadline, ${deadline} (${check.spareDays} day${check.spareDays === 1 ? '' : 's'} to spare).`,
        forecastDeadlineColor: 'Good',
      };
    case 'late':
      return {
        forecastDeadline: `**${check.daysLate} day${check.daysLate === 1 ? '' : 's'} late** for the deadline, ${deadline}.`,
        forecastDeadlineColor: 'Attention',
      };
    case 'missed':
      return {
        forecastDeadline: `The deadline, ${deadline}, will be missed unless the pace picks up.`,
        forecastDeadlineColor: 'Attention',
      };
  }
}

/**
 * The forecast in three short lines: when, against the deadline, and how it was worked out
 * (`compliance/forecastRollout`: a least-squares line over the last days, the range from the
 * slope's standard error).
 */
export function forecastSection(forecast: RolloutForecast | undefined): ForecastSection {
  const none = { forecastDeadline: '', forecastDeadlineColor: 'Default' as const, forecastMethod: '' };
  if (!forecast) return { forecastTitle: '', forecast: '', ...none };
  const target = pct(forecast.targetPercent);
  const forecastTitle = `Forecast: ${target} compliant`;
  const method = (points: number) =>
    `Method: a straight line fitted (least squares) to the ${points} daily snapshots of the last ${FORECAST_WINDOW_DAYS} days, ` +
    `extended from today's share; the range is that pace ± ${PACE_STANDARD_ERRORS} standard errors of the line's slope.`;
  switch (forecast.kind) {
    case 'reached':
      return {
        forecastTitle,
        forecast: `Reached: ${pct(forecast.percent)} of applicable Macs are compliant.`,
        ...none,
      };
    case 'too_short':
      return {
        forecastTitle,
        forecast: `A forecast needs ${forecast.needed} daily snapshots from the last ${FORECAST_WINDOW_DAYS} days; I have ${forecast.points} so far.`,
        ...none,
      };
    case 'not_at_this_pace':
      return {
        forecastTitle,
        forecast: `**Not at this pace**: the trend is flat or falling (${pace(forecast.pace.perDay)}).`,
        ...deadlineLine(forecast.deadline),
        forecastMethod: method(forecast.pace.points),
      };
    case 'date':
      return {
        forecastTitle,
        forecast:
          `Around **${formatShortDay(forecast.date)}** at ${pace(forecast.pace.perDay)} — ` +
          (forecast.latest
            ? `between ${formatShortDay(forecast.earliest)} and ${formatShortDay(forecast.latest)}.`
            : `from ${formatShortDay(forecast.earliest)}, with no later bound (the pace is uncertain).`),
        ...deadlineLine(forecast.deadline),
        forecastMethod: method(forecast.pace.points),
      };
  }
}
