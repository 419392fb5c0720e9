import { randomUUID } from 'node:crypto';
import { dropAlertCardModel } from '../cards/dropAlertCardModel';
import { renderCard } from '../cards/renderCard';
import { detectComplianceMoves, membershipDrops } from '../compliance/detectComplianceMoves';
import type { FleetChanges } from '../compliance/fleetSnapshotTypes';
import type {
  ComplianceDrop,
  DropEpisode,
  DropWindow,
  SmartGroupMembershipChange,
} from '../compliance/liveUpdateTypes';
import type { AppConfig } from '../config';
import type { Logger } from '../log';
import type { Notifier } from '../notifier';
import type { DropAlertStore } from '../store/ports/dropAlertStore';

/** Names on the card. */
const FIRST_NAMES = 10;
/** The card is rewritten at most this often. */
const CARD_UPDATE_MS = 60_000;

export interface DropAlertDeps {
  store: DropAlertStore;
  notifier: Pick<Notifier, 'postToAdminChannel' | 'updateCard'>;
  config: Pick<AppConfig, 'criteria' | 'liveUpdates'>;
  logger: Logger;
  now?: () => Date;
}

/**
 * Alerts on sudden drops: Macs leaving Jamf's Compliance group — seen in the snapshot's changes
 * or Jamf's membership webhook, one Mac counted once — are counted in a sliding window of
 * `dropWindowMinutes`; at `dropAlertMacs` one card goes to the admin channel. The episode then
 * stays open while drops keep coming, its card updated in place with the growing count at most
 * once a minute (`tick` writes what arrived in between, and finally that it ended); after a quiet
 * window the next drop counts towards a new episode. The episode is a row in the store, opened by
 * compare-and-set, so a restart or a second instance never posts a second card for it.
 */
export class DropAlerts {
  constructor(private readonly deps: DropAlertDeps) {}

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  private get windowMs(): number {
    return this.deps.config.liveUpdates.dropWindowMinutes * 60_000;
  }

  private get enabled(): boolean {
    return this.deps.config.liveUpdates.dropAlertMacs > 0;
  }

  /** Macs that left the Compliance group in the snapshot's changes. */
  async handleFleetChanges(changes: FleetChanges): Promise<void> {
    if (!this.enabled) return;
    const { left } = detectComplianceMoves(changes.changes, this.deps.config.criteria.complianceGroup);
    const at = changes.at.toISOString();
    await this.noteDrops(left.map((c) => ({ jamfId: c.jamfId, name: c.after.jamf.name, at })));
  }

  /** Jamf's `SmartGroupComputerMembershipChange`: the Macs removed from the Compliance group. */
  async onMembershipChange(event: SmartGroupMembershipChange): Promise<void> {
    if (!this.enabled) return;
    await this.noteDrops(membershipDrops(event, this.deps.config.criteria.complianceGroup));
  }

  private async noteDrops(drops: ComplianceDrop[]): Promise<void> {
    if (drops.length === 0) return;
    const { store, config, notifier, logger } = this.deps;
    const now = this.now();
    const windowStart = new Date(now.getTime() - this.windowMs).toISOString();
    const episode = await store.getDropEpisode();
    const open = episode !== null && episode.lastDropAt > windowStart;
    // An episode that ended since the last tick says so before its drops can be pruned.
    if (episode && !open) await this.refreshCard(now);
    const pruneBefore = open && episode.since < windowStart ? episode.since : windowStart;
    await store.recordDrops(drops, pruneBefore);
    if (open) {
      await store.extendDropEpisode(
        episode.id,
        drops.map((d) => d.at).reduce((a, b) => (a > b ? a : b)),
      );
      await this.refreshCard(now);
      return;
    }
    const window = await store.dropWindow(windowStart, FIRST_NAMES);
    if (window.count < config.liveUpdates.dropAlertMacs) return;
    const next: DropEpisode = {
      id: randomUUID(),
      since: window.firstAt ?? windowStart,
      openedAt: now.toISOString(),
      lastDropAt: window.lastAt ?? now.toISOString(),
      card: null,
      cardCount: window.count,
      cardUpdatedAt: now.toISOString(),
    };
    // Another instance opening it first is not an error: its card is the episode's one card.
    if (!(await store.openDropEpisode(next, episode?.id ?? null))) return;
    logger.warn(
      { macs: window.count, since: next.since },
      'compliance drop: Macs are leaving the Compliance group',
    );
    try {
      const posted = await notifier.postToAdminChannel(
        renderCard('dropAlert', this.model(window, false, now)),
      );
      if (posted) await store.setDropEpisodeCard(next.id, posted, window.count, now.toISOString());
    } catch (err) {
      // The episode stays open without a card: at most one card per episode, never a second try.
      logger.error({ err, episode: next.id }, 'compliance drop: the alert card could not be posted');
    }
  }

  /** Brings the episode's card up to date (at most once a minute), and says when it ended. */
  async tick(at?: Date): Promise<void> {
    if (this.enabled) await this.refreshCard(at ?? this.now());
  }

  private async refreshCard(now: Date): Promise<void> {
    const { store, notifier, logger } = this.deps;
    const episode = await store.getDropEpisode();
    if (!episode?.card) return;
    const window = await store.dropWindow(episode.since, FIRST_NAMES);
    const ended = episode.lastDropAt <= new Date(now.getTime() - this.windowMs).toISOString();
    const shown = ended ? -window.count : window.count;
    const notSince = new Date(now.getTime() - CARD_UPDATE_MS).toISOString();
    if (!(await store.claimDropCardUpdate(episode.id, shown, now.toISOString(), notSince))) return;
    try {
      await notifier.updateCard(episode.card, renderCard('dropAlert', this.model(window, ended, now)));
    } catch (err) {
      logger.warn({ err, episode: episode.id }, 'compliance drop: the alert card could not be updated');
    }
  }

  private model(drops: DropWindow, ended: boolean, now: Date) {
    const { config } = this.deps;
    return dropAlertCardModel({
      drops,
      groupName: config.criteria.complianceGroup,
      threshold: config.liveUpdates.dropAlertMacs,
      windowMinutes: config.liveUpdates.dropWindowMinutes,
      now,
      ended,
    });
  }
}
