import type { AdaptiveCard } from '../cards/renderCard';
import { refreshableFleetCommand, type FleetAnswer, type ReadyFleet } from './fleetAnswer';
import type { RefreshableCardCommand } from './refreshableCardCommand';

export interface RolloutDeps {
  /** Today's counts from the fleet snapshot (`fresh`: stored again) and the trend (src/rollout/rolloutCard). */
  rolloutCard: (fleet: ReadyFleet, now: Date, opts: { fresh: boolean }) => Promise<AdaptiveCard>;
  /** Answers from the fleet snapshot; Refresh syncs it (`fleetAnswer`). */
  fleetAnswer: FleetAnswer;
}

/**
 * `rollout`: fleet counts by verdict, % compliant, top reasons and the trend over days, from the
 * fleet snapshot; Refresh (`rollout.refresh`) syncs the snapshot and stores today's counts again.
 * During the first fleet build it answers with the build's progress, updated in place.
 */
export function rolloutCommand(deps: RolloutDeps): RefreshableCardCommand {
  return refreshableFleetCommand({
    name: 'rollout',
    aliases: ['rollout status'],
    summary: 'How far the rollout is: Macs by state, % compliant, top reasons and the trend.',
    usage: 'rollout',
    examples: ['rollout'],
    verb: 'rollout.refresh',
    answer: deps.fleetAnswer,
    card: (opts) => ({ ready: (fleet, now) => deps.rolloutCard(fleet, now, opts) }),
  });
}
