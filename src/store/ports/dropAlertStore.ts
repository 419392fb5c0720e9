import type { ComplianceDrop, DropEpisode, DropWindow } from '../../compliance/liveUpdateTypes';

/**
 * The drop alert's durable state: recent drops (one row per Mac, so the snapshot's change and
 * the webhook for the same Mac count once) and the one episode row, changed only by
 * compare-and-set so two instances never open two episodes or update the card twice a minute.
 */
export interface DropAlertStore {
  /** Adds drops (a Mac again: the later time, a name where one was missing); forgets those before `pruneBefore`. */
  recordDrops(drops: readonly ComplianceDrop[], pruneBefore: string): Promise<void>;
  /** The drops at or after `since`, with up to `names` names in order of dropping. */
  dropWindow(since: string, names: number): Promise<DropWindow>;
  getDropEpisode(): Promise<DropEpisode | null>;
  /**
   * Opens `episode` if the current one is still `replacing` (null: there is none): false when
   * another instance opened one first.
   */
  openDropEpisode(episode: DropEpisode, replacing: string | null): Promise<boolean>;
  /** Moves the episode's last drop forward (never back). */
  extendDropEpisode(id: string, lastDropAt: string): Promise<void>;
  /** Where the episode's card was posted. */
  setDropEpisodeCard(
    id: string,
    card: NonNullable<DropEpisode['card']>,
    count: number,
    at: string,
  ): Promise<void>;
  /**
   * Claims the right to rewrite the card to show `count` (`DropEpisode.cardCount`): true when the
   * episode is `id`, has a card, shows something else, and was not written after `notSince`.
   */
  claimDropCardUpdate(id: string, count: number, at: string, notSince: string): Promise<boolean>;
}
