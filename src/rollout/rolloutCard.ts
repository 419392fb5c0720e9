import { rolloutCardModel } from '../cards/rolloutCardModel';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { AppConfig } from '../config';
import { FORECAST_WINDOW_DAYS, forecastRollout } from '../compliance/forecastRollout';
import type { FindBatchCandidates } from '../lookup/batchCandidates';
import type { ReadyFleet } from '../lookup/diagnoseFleetSnapshot';
import { rolloutCounts, takeRolloutSnapshot, utcDay, type RolloutSnapshotDeps } from './takeRolloutSnapshot';
import type { SnapshotStore } from '../store/ports/snapshotStore';

export interface RolloutCardDeps extends RolloutSnapshotDeps {
  config: Pick<AppConfig, 'rollout' | 'endUsers'>;
  store: RolloutSnapshotDeps['store'] & Pick<SnapshotStore, 'getSnapshot' | 'listSnapshots'>;
  /** The Macs the batch fixes can help (issue 19): the card offers a button for each with Macs. */
  candidates?: FindBatchCandidates;
}

/**
 * The rollout card: today's counts from the fleet snapshot (cheap, so always current, with the
 * snapshot's age), the trend over the last `ROLLOUT_TREND_DAYS` stored days, and the forecast of
 * when `ROLLOUT_TARGET_PERCENT` is reached (from the last 14 days, against `ROLLOUT_DEADLINE`). Today's stored
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
  const limit = Math.max(config.rollout.trendDays, FORECAST_WINDOW_DAYS);
  const history = (await store.listSnapshots({ toDay: today.day, limit })).map((s) =>
    s.day === today.day ? today : s,
  );
  if (history[history.length - 1]?.day !== today.day) history.push(today);
  const trend = history.slice(-Math.max(1, config.rollout.trendDays));
  const forecast = forecastRollout({
    history,
    today: today.day,
    targetPercent: config.rollout.targetPercent,
    deadline: config.endUsers.deadline,
  });
  return renderCard(
    'rolloutCard',
    rolloutCardModel({
      today,
      history: trend,
      now,
      asOf: fleet.asOf,
      forecast,
      batch: batchCounts(deps, fleet, now),
    }),
  );
}

function batchCounts(deps: RolloutCardDeps, fleet: ReadyFleet, now: Date) {
  if (!deps.candidates) return undefined;
  const found = deps.candidates(fleet, now);
  return { wake: found.wake.length, recalculate: found.recalculate.length };
}
