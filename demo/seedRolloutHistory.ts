import type { RolloutSnapshot } from '../src/compliance/rolloutSnapshotTypes';
import type { SnapshotStore } from '../src/store/ports/snapshotStore';
import { utcDay } from '../src/rollout/takeRolloutSnapshot';
import { seededRandom } from './seededRandom';

/** Days of rollout history the demo starts with, today included (four weeks). */
export const DEMO_HISTORY_DAYS = 28;
/** The first day's share, as a part of today's: the rollout was well under way four weeks ago. */
const START_SHARE = 0.6;
/** Weekends move slower: fewer people at their Macs, fewer registrations. */
const WEEKEND_PACE = 0.25;
/** Macs still to do move back into these verdicts going back in time, not registered counting double. */
const NOT_DONE: readonly { verdict: string; weight: number }[] = [
  { verdict: 'not_registered', weight: 2 },
  { verdict: 'waiting_first_report', weight: 1 },
  { verdict: 'out_of_sync', weight: 1 },
  { verdict: 'not_compliant', weight: 1 },
  { verdict: 'stale', weight: 1 },
];
const DAY_MS = 86_400_000;

/**
 * The days before `today` of a plausible rollout ending at today's figures, oldest first
 * (`days − 1` of them): the share compliant rises from 60 % of today's to today's, faster on
 * weekdays, with seeded noise, so the trend chart and the forecast have something to show.
 * Counts stay whole Macs of today's applicable fleet; the Macs not yet compliant on a day sit
 * in the verdicts still open today (mostly *not registered*), the top reasons scaled to match.
 * Deterministic for a seed. Pure.
 */
export function demoRolloutHistory(
  today: RolloutSnapshot,
  opts: { days?: number; seed?: number; snapshotHourUtc?: number } = {},
): RolloutSnapshot[] {
  const days = Math.max(1, opts.days ?? DEMO_HISTORY_DAYS);
  const random = seededRandom(opts.seed ?? 19);
  const todayMs = Date.parse(`${today.day}T00:00:00Z`);
  const dayOf = (back: number) => new Date(todayMs - back * DAY_MS);
  // gains[i]: the rise into the day `days − 2 − i` days back from the day before it.
  const gains = Array.from({ length: days - 1 }, (_, i) => {
    const weekday = dayOf(days - 2 - i).getUTCDay();
    return (weekday === 0 || weekday === 6 ? WEEKEND_PACE : 1) * random.between(0.4, 1.6);
  });
  const sum = gains.reduce((a, b) => a + b, 0);
  const end = today.percentCompliant;
  const start = end * START_SHARE;
  const compliantToday = today.byVerdict.compliant ?? 0;
  const openToday = today.applicable - compliantToday;
  const hour = String(opts.snapshotHourUtc ?? 6).padStart(2, '0');

  const history: RolloutSnapshot[] = [];
  let percent = start;
  for (let back = days - 1; back >= 1; back--) {
    const day = utcDay(dayOf(back));
    const compliant = Math.min(compliantToday, Math.round((today.applicable * percent) / 100));
    const behind = compliantToday - compliant;
    const open = openToday + behind;
    history.push({
      day,
      takenAt: `${day}T${hour}:00:00.000Z`,
      total: today.total,
      applicable: today.applicable,
      byVerdict: { ...today.byVerdict, ...spread(today.byVerdict, behind), compliant },
      percentCompliant: today.applicable === 0 ? 0 : Math.round((compliant / today.applicable) * 1000) / 10,
      topReasons: today.topReasons.map((r) => ({
        ...r,
        count: openToday === 0 ? r.count : Math.round((r.count * open) / openToday),
      })),
    });
    percent += sum === 0 ? 0 : ((end - start) * (gains[days - 1 - back] ?? 0)) / sum;
  }
  return history;
}

/** Today's open verdicts plus `behind` Macs shared out by weight (largest remainder). */
function spread(byVerdict: Record<string, number>, behind: number): Record<string, number> {
  const weights = NOT_DONE.map((o) => ({ ...o, w: (byVerdict[o.verdict] ?? 0) * o.weight }));
  const total = weights.reduce((a, o) => a + o.w, 0);
  if (total === 0) return { not_registered: (byVerdict.not_registered ?? 0) + behind };
  const shares = weights.map((o) => ({ ...o, exact: (behind * o.w) / total }));
  const out = shares.map((o) => ({ verdict: o.verdict, n: Math.floor(o.exact), rest: o.exact % 1 }));
  let left = behind - out.reduce((a, o) => a + o.n, 0);
  for (const o of [...out].sort((a, b) => b.rest - a.rest)) {
    if (left <= 0) break;
    o.n += 1;
    left -= 1;
  }
  return Object.fromEntries(out.map((o) => [o.verdict, (byVerdict[o.verdict] ?? 0) + o.n]));
}

/** What seeding did: how many past days it stored, or why none. */
export type SeededHistory = { seeded: number } | { seeded: 0; kept: 'history' };

/**
 * Gives a fresh demo store its weeks of rollout history, through the store's own
 * `saveSnapshot`, ending at today's figures (`today()`: the stored snapshot of today if there is
 * one, else the fleet's counts now). Only when the store has no snapshot before today: real
 * history, or the history of an earlier demo start, is never overwritten or added to. Today's
 * own snapshot is left to the bot (the daily job, `rollout`).
 */
export async function seedRolloutHistory(deps: {
  store: Pick<SnapshotStore, 'listSnapshots' | 'saveSnapshot'>;
  today: () => Promise<RolloutSnapshot>;
  now: Date;
  days?: number;
  seed?: number;
  snapshotHourUtc?: number;
}): Promise<SeededHistory> {
  const yesterday = utcDay(new Date(deps.now.getTime() - DAY_MS));
  if ((await deps.store.listSnapshots({ toDay: yesterday, limit: 1 })).length > 0)
    return { seeded: 0, kept: 'history' };
  const history = demoRolloutHistory(await deps.today(), deps);
  for (const snapshot of history) await deps.store.saveSnapshot(snapshot);
  return { seeded: history.length };
}
