import { rolloutCardModel } from '../cards/rolloutCardModel';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { AppConfig } from '../config';
import { takeRolloutSnapshot, utcDay, type RolloutSnapshotDeps } from './takeRolloutSnapshot';
import type { SnapshotStore } from '../store/ports/snapshotStore';

export interface RolloutCardDeps extends RolloutSnapshotDeps {
  config: RolloutSnapshotDeps['config'] & Pick<AppConfig, 'rollout'>;
  store: RolloutSnapshotDeps['store'] & Pick<SnapshotStore, 'getSnapshot' | 'listSnapshots'>;
}

/**
 * The rollout card: today's snapshot (taken now when it is missing, or when `fresh` asks for
 * live numbers) and the trend over the last `ROLLOUT_TREND_DAYS` stored days. The `rollout`
 * command and the daily digest show the same card.
 */
export async function rolloutCard(
  deps: RolloutCardDeps,
  now: Date,
  opts: { fresh?: boolean } = {},
): Promise<AdaptiveCard> {
  const { store, config } = deps;
  const today =
    (!opts.fresh && (await store.getSnapshot(utcDay(now)))) || (await takeRolloutSnapshot(deps, now));
  const history = await store.listSnapshots({ toDay: today.day, limit: config.rollout.trendDays });
  return renderCard('rolloutCard', rolloutCardModel({ today, history, now }));
}
