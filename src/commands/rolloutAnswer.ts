import { rolloutCardModel } from '../cards/rolloutCardModel';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import { takeRolloutSnapshot, utcDay } from '../rollout/takeRolloutSnapshot';
import type { Services } from '../services';

/**
 * The rollout card: today's snapshot (taken now when it is missing, or when `fresh` asks for
 * live numbers) and the trend over the last `ROLLOUT_TREND_DAYS` stored days.
 */
export async function rolloutCard(
  services: Services,
  now: Date,
  opts: { fresh?: boolean } = {},
): Promise<AdaptiveCard> {
  const { store, config } = services;
  const today =
    (!opts.fresh && (await store.getSnapshot(utcDay(now)))) || (await takeRolloutSnapshot(services, now));
  const history = await store.listSnapshots({ toDay: today.day, limit: config.rollout.trendDays });
  return renderCard('rolloutCard', rolloutCardModel({ today, history, now }));
}
