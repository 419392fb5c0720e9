import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import { translatorFor } from '../cards/i18n/translator';
import { thankYouCardModel } from '../cards/thankYouCardModel';
import { detectComplianceMoves } from '../compliance/detectComplianceMoves';
import type { FleetChanges } from '../compliance/fleetSnapshotTypes';
import { isInGroup } from '../compliance/isInGroup';
import type { ThankYouWatch } from '../compliance/liveUpdateTypes';
import type { ConversationLocale } from '../compliance/storedConversationTypes';
import { nextThankYouCheck } from '../compliance/thankYouBackoff';
import type { MacRecord } from '../compliance/types';
import type { AppConfig } from '../config';
import type { Logger } from '../log';
import type { ComplianceHistoryStore } from '../store/ports/complianceHistoryStore';
import type { ThankYouStore } from '../store/ports/thankYouStore';
import type { PersonalCardResult } from './sendPersonalCard';

/** A campaign counts a Mac that became compliant within this many days of its reminder. */
export const CONVERSION_WINDOW_DAYS = 30;
/** Re-checks taken per claim, and run side by side (Jamf allows about five connections). */
const CLAIM_BATCH = 8;
const PARALLEL = 4;
/** A claimed re-check another instance may take over after this long (a crash mid-check). */
const LEASE_MS = 5 * 60_000;

export interface ThankYouServiceDeps {
  store: ThankYouStore;
  /** Re-reads one Mac live; null when Jamf no longer has it; throws when a service cannot say. */
  recheckMac: (jamfId: string) => Promise<MacRecord | null>;
  /** Sends a card 1:1 to the person (`sendPersonalCard`). */
  sendCard: (aadObjectId: string, card: AdaptiveCard) => Promise<PersonalCardResult>;
  config: Pick<AppConfig, 'criteria' | 'liveUpdates'>;
  /** The compliance history behind the campaign funnel (issue 19): Entra's confirmation ends the Mac's spell. */
  history?: Pick<ComplianceHistoryStore, 'recordComplianceObservations'>;
  /** This instance, as the owner of claimed re-checks. */
  owner: string;
  /**
   * The person's language and time zone when the bot knows them (their stored 1:1 chat); the
   * card is written in it, else in the watch's `locale`, else English.
   */
  readerOf?: (aadObjectId: string) => Promise<ConversationLocale | null>;
  logger: Logger;
  now?: () => Date;
}

/**
 * "Your Mac is compliant": when a Mac enters Jamf's Compliance group, its person is thanked once
 * Entra ID agrees — at once if the change already says so, else after re-checks with backoff
 * (`runDueChecks`, from the scheduler) or a later change, whichever comes first, for
 * `confirmWithinHours`; then it gives up quietly. The confirmation is recorded once per
 * (Jamf id, Entra device id) in the store before the card goes (claim, then send), so several
 * instances and repeated changes send one card; the record also credits the campaigns that
 * reminded the person in the last 30 days. A send that fails after the claim is recorded as
 * failed and not retried (only a 429, which Teams refused, is waited out) — at most one card.
 */
export class ThankYouService {
  constructor(private readonly deps: ThankYouServiceDeps) {}

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  private get group(): string {
    return this.deps.config.criteria.complianceGroup;
  }

  /** In the Compliance group and compliant in Entra ID: time to thank. */
  private confirmed(r: MacRecord | null): r is MacRecord & { entra: NonNullable<MacRecord['entra']> } {
    return !!r && isInGroup(r.jamf.groups, this.group) && r.entra?.isCompliant === true;
  }

  /** The snapshot's changes: Macs that entered the group are watched; any that Entra now agrees on are thanked. */
  async handleFleetChanges(changes: FleetChanges): Promise<void> {
    const moves = detectComplianceMoves(changes.changes, this.group);
    for (const c of moves.entered) {
      const watch = await this.watch(c.after);
      if (watch && this.confirmed(c.after)) await this.confirm(watch, c.after);
    }
    for (const c of moves.entraCaughtUp) {
      if (!this.confirmed(c.after)) continue;
      const watch = await this.deps.store.getThankYouWatch(c.jamfId);
      if (watch) await this.confirm(watch, c.after);
    }
  }

  /** Starts (or finds) the watch of a Mac that entered the group; null when it has no known person. */
  private async watch(r: MacRecord): Promise<ThankYouWatch | null> {
    const { store, config, logger } = this.deps;
    if (!r.user) {
      logger.debug({ jamfId: r.jamf.id }, 'thank-you: the Mac has no known Entra user; nobody to thank');
      return null;
    }
    const now = this.now();
    const giveUpAt = new Date(
      now.getTime() + config.liveUpdates.confirmWithinHours * 3_600_000,
    ).toISOString();
    const watch: ThankYouWatch = {
      jamfId: r.jamf.id,
      recipientId: r.user.id,
      recipientName: r.user.displayName,
      recipientUpn: r.user.userPrincipalName,
      macName: r.jamf.name,
      locale: null,
      enteredAt: now.toISOString(),
      giveUpAt,
      nextCheckAt: nextThankYouCheck(0, now, giveUpAt),
      attempts: 0,
    };
    if (await store.watchThankYou(watch)) return watch;
    return (await store.getThankYouWatch(r.jamf.id)) ?? watch;
  }

  /**
   * Entra agrees: claims the thank-you for this Mac and Entra device (false: already claimed,
   * here or on another instance), ends the watch, and sends the card when cards are on.
   */
  private async confirm(
    watch: ThankYouWatch,
    r: MacRecord & { entra: NonNullable<MacRecord['entra']> },
  ): Promise<void> {
    const { store, config, logger } = this.deps;
    const now = this.now();
    const cards = config.liveUpdates.thankYou;
    const claimed = await store.claimThankYou(
      {
        jamfId: watch.jamfId,
        entraDeviceId: r.entra.deviceId,
        recipientId: watch.recipientId,
        macName: r.jamf.name,
        confirmedAt: now.toISOString(),
        state: cards ? 'claimed' : 'off',
      },
      new Date(now.getTime() - CONVERSION_WINDOW_DAYS * 86_400_000).toISOString(),
    );
    await store.endThankYouWatch(watch.jamfId);
    // The campaign funnel's history; its trouble must not cost the person their card.
    await this.deps.history
      ?.recordComplianceObservations(
        // Closes the open spell only: the fleet's change feed may have recorded the turn already.
        [{ jamfId: watch.jamfId, userId: watch.recipientId, compliant: true }],
        now.toISOString(),
      )
      .catch((err: unknown) =>
        logger.warn({ err, jamfId: watch.jamfId }, 'thank-you: could not record the Mac as compliant'),
      );
    if (!claimed) {
      logger.debug({ jamfId: watch.jamfId }, 'thank-you: already recorded for this Mac');
      return;
    }
    logger.info(
      { jamfId: watch.jamfId, campaigns: claimed.campaignIds, cards },
      'thank-you: Entra ID confirms the Mac is compliant',
    );
    if (!cards) return;
    const reader = await this.deps.readerOf?.(watch.recipientId).catch((err: unknown) => {
      logger.warn({ err, jamfId: watch.jamfId }, 'thank-you: could not read the person’s language; English');
      return null;
    });
    const card = renderCard(
      'thankYou',
      thankYouCardModel({
        macName: r.jamf.name,
        personName: watch.recipientName,
        locale: reader?.locale ?? watch.locale,
        t: translatorFor({ locale: reader?.locale ?? watch.locale, timeZone: reader?.timeZone }),
      }),
    );
    let result: PersonalCardResult;
    try {
      result = await this.deps.sendCard(watch.recipientId, card);
    } catch (e) {
      result = { sent: false, detail: e instanceof Error ? e.message : String(e) };
    }
    await store.finishThankYou(
      claimed.jamfId,
      claimed.entraDeviceId,
      result.sent
        ? { state: 'sent', conversationId: result.conversationId, activityId: result.activityId }
        : { state: 'failed', detail: result.detail },
    );
    if (!result.sent)
      logger.warn({ jamfId: watch.jamfId, detail: result.detail }, 'thank-you: the card could not be sent');
  }

  /** The re-checks that are due: each Mac read live once; thanked, re-scheduled with backoff, or given up. */
  async runDueChecks(at?: Date): Promise<{ checked: number; confirmed: number; gaveUp: number }> {
    const stats = { checked: 0, confirmed: 0, gaveUp: 0 };
    for (;;) {
      const now = at ?? this.now();
      const due = await this.deps.store.claimDueThankYouWatches({
        owner: this.deps.owner,
        now: now.toISOString(),
        leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString(),
        limit: CLAIM_BATCH,
      });
      if (due.length === 0) return stats;
      for (let i = 0; i < due.length; i += PARALLEL) {
        await Promise.all(due.slice(i, i + PARALLEL).map((w) => this.check(w, now, stats)));
      }
    }
  }

  private async check(
    w: ThankYouWatch,
    now: Date,
    stats: { checked: number; confirmed: number; gaveUp: number },
  ) {
    const { store, logger } = this.deps;
    stats.checked++;
    let record: MacRecord | null = null;
    try {
      record = await this.deps.recheckMac(w.jamfId);
    } catch (err) {
      logger.warn({ err, jamfId: w.jamfId }, 'thank-you: re-check failed; trying again later');
    }
    if (this.confirmed(record)) {
      stats.confirmed++;
      await this.confirm(w, record);
      return;
    }
    if (now.getTime() >= Date.parse(w.giveUpAt)) {
      stats.gaveUp++;
      await store.endThankYouWatch(w.jamfId);
      logger.info(
        { jamfId: w.jamfId, enteredAt: w.enteredAt, checks: w.attempts + 1 },
        'thank-you: Entra ID did not confirm within the window; giving up',
      );
      return;
    }
    await store.rescheduleThankYouWatch(
      w.jamfId,
      nextThankYouCheck(w.attempts + 1, now, w.giveUpAt),
      w.attempts + 1,
    );
  }
}
