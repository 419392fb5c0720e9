import type { AdaptiveCard } from '../cards/renderCard';
import { refreshableCardCommand, type RefreshableCardCommand } from './refreshableCardCommand';

export interface RolloutDeps {
  /** Today's snapshot (`fresh`: taken again from live data) and the trend (src/rollout/rolloutCard). */
  rolloutCard: (now: Date, opts: { fresh: boolean }) => Promise<AdaptiveCard>;
}

/**
 * `rollout`: fleet counts by verdict, % compliant, top reasons and the trend over days; Refresh
 * (`rollout.refresh`) takes today's snapshot again from live data.
 */
export function rolloutCommand(deps: RolloutDeps): RefreshableCardCommand {
  return refreshableCardCommand({
    name: 'rollout',
    aliases: ['rollout status'],
    summary: 'How far the rollout is: Macs by state, % compliant, top reasons and the trend.',
    usage: 'rollout',
    examples: ['rollout'],
    verb: 'rollout.refresh',
    card: deps.rolloutCard,
  });
}
