import type { Verdict } from '../compliance/diagnosisTypes';
import { VERDICT_LABELS } from '../compliance/verdictLabels';
import type { RolloutSnapshot } from '../compliance/rolloutSnapshotTypes';
import type { Fact, TextLine } from './cardParts';
import { fleetFreshness } from './fleetFreshness';
import { formatAbsolute } from './formatDate';

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
  /** "Fleet picture as of 4 minutes ago" ('' when unknown). */
  freshness: string;
  footer: string;
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
    freshness: opts.asOf ? fleetFreshness(opts.asOf, opts.now) : '',
    footer: `Snapshot ${formatAbsolute(today.takenAt)} · one a day, kept in the bot's database.`,
  };
}
