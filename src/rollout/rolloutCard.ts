import { rolloutCardModel } from '../cards/rolloutCardModel';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { AppConfig } from '../config';
import type { ReadyFleet } from '../lookup/diagnoseFleetSnapshot';
import { rolloutCounts, takeRolloutSnapshot, utcDay, type RolloutSnapshotDeps } from './takeRolloutSnapshot';
import type { SnapshotStore } from '../store/ports/snapshotStore';

export interface RolloutCardDeps extends RolloutSnapshotDeps {
  config: Pick<AppConfig, 'rollout'>;
  store: RolloutSnapshotDeps['store'] & Pick<SnapshotStore, 'getSnapshot' | 'listSnapshots'>;
}

/**
 * The rollout card: today's counts from the fleet snapshot (cheap, so always current, with the
 * snapshot's age) and the trend over the last `ROLLOUT_TREND_DAYS` stored days. Today's stored
 * snapshot is written when it is missing or `fresh` asks (Refresh), as before — not on every
 * `rollout`, so the daily job still knows whether its scheduled one was taken. The `rollout`
 * command and the daily digest show the same card.
 */
export async function rolloutCard(
  deps: RolloutCardDeps,
  fleet: ReadyFleet,
  now: Date,
  opts: { fresh?: boolean } = {},
): Promise<AdaptiveCard> {
  const { store, config } = deps;
  const stored = opts.fresh ? null : await store.getSnapshot(utcDay(now));
  const today = stored ? rolloutCounts(deps, fleet, now) : await takeRolloutSnapshot(deps, fleet, now);
  const history = (await store.listSnapshots({ toDay: today.day, limit: config.rollout.trendDays })).map(
    (s) => (s.day === today.day ? today : s),
  );
  if (history[history.length - 1]?.day !== today.day) history.push(today);
  const trend = history.slice(-Math.max(1, config.rollout.trendDays));
  return renderCard('rolloutCard', rolloutCardModel({ today, history: trend, now, asOf: fleet.asOf }));
}
