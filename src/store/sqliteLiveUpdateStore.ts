import type {
  ComplianceDrop,
  DropEpisode,
  DropWindow,
  ThankYouClaim,
  ThankYouOutcome,
  ThankYouRecord,
  ThankYouWatch,
} from '../compliance/liveUpdateTypes';
import { limitOf } from './limitOf';
import {
  DROP_EPISODE_KEY,
  episodeParams,
  toEpisode,
  toThankYou,
  toWatch,
  watchParams,
  windowTimes,
  type DropWindowRow,
  type EpisodeRow,
  type ThankYouRow,
  type WatchRow,
} from './liveUpdateRows';
import type { DropAlertStore } from './ports/dropAlertStore';
import type { ClaimWatchesOptions, ThankYouStore } from './ports/thankYouStore';
import { SqliteFleetSnapshotStore } from './sqliteFleetSnapshotStore';

/**
 * The thank-you and drop-alert ports on SQLite (issue 22): a link in the store's class chain
 * (… → SqliteFleetSnapshotStore → this → SqliteBotStore), in the same database as the campaigns
 * they count for. Every claim is one conditional statement, as in the outbox.
 */
export class SqliteLiveUpdateStore extends SqliteFleetSnapshotStore implements ThankYouStore, DropAlertStore {
  async watchThankYou(w: ThankYouWatch): Promise<boolean> {
    return (
      this.prepare(
        `INSERT INTO thank_you_watches (jamf_id, recipient_id, recipient_name, recipient_upn, mac_name, locale,
           entered_at, give_up_at, next_check_at, attempts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (jamf_id) DO NOTHING`,
      ).run(...watchParams(w)).changes === 1
    );
  }

  async getThankYouWatch(jamfId: string): Promise<ThankYouWatch | null> {
    const row = this.prepare('SELECT * FROM thank_you_watches WHERE jamf_id = ?').get(jamfId) as
      WatchRow | undefined;
    return row ? toWatch(row) : null;
  }

  async claimDueThankYouWatches(opts: ClaimWatchesOptions): Promise<ThankYouWatch[]> {
    const rows = this.prepare(
      `UPDATE thank_you_watches SET lease_owner = ?, lease_until = ?
         WHERE rowid IN (
           SELECT rowid FROM thank_you_watches
           WHERE next_check_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
           ORDER BY next_check_at, jamf_id LIMIT ?)
         RETURNING *`,
    ).all(opts.owner, opts.leaseUntil, opts.now, opts.now, limitOf(opts.limit)) as WatchRow[];
    return rows.map(toWatch);
  }

  async rescheduleThankYouWatch(jamfId: string, nextCheckAt: string, attempts: number): Promise<void> {
    this.prepare(
      `UPDATE thank_you_watches SET next_check_at = ?, attempts = ?, lease_owner = NULL, lease_until = NULL
         WHERE jamf_id = ?`,
    ).run(nextCheckAt, attempts, jamfId);
  }

  async endThankYouWatch(jamfId: string): Promise<void> {
    this.prepare('DELETE FROM thank_you_watches WHERE jamf_id = ?').run(jamfId);
  }

  async claimThankYou(r: ThankYouClaim, remindedSince: string): Promise<ThankYouRecord | null> {
    return this.db.transaction(() => {
      const inserted = this.prepare(
        `INSERT INTO thank_yous (jamf_id, entra_device_id, recipient_id, mac_name, confirmed_at, state)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (jamf_id) DO NOTHING`,
      ).run(r.jamfId, r.entraDeviceId, r.recipientId, r.macName, r.confirmedAt, r.state).changes;
      if (inserted !== 1) return null;
      const campaigns = this.prepare(
        `INSERT INTO campaign_conversions (campaign_id, jamf_id, entra_device_id, recipient_id, converted_at)
         SELECT DISTINCT campaign_id, ?, ?, ?, ? FROM campaign_outbox
           WHERE recipient_id = ? AND state = 'sent' AND updated_at >= ?
         RETURNING campaign_id`,
      ).all(r.jamfId, r.entraDeviceId, r.recipientId, r.confirmedAt, r.recipientId, remindedSince) as {
        campaign_id: string;
      }[];
      return {
        ...r,
        campaignIds: campaigns.map((c) => c.campaign_id).sort(),
        detail: null,
        conversationId: null,
        activityId: null,
      };
    })();
  }

  async finishThankYou(jamfId: string, entraDeviceId: string, outcome: ThankYouOutcome): Promise<void> {
    const sent = outcome.state === 'sent';
    this.prepare(
      `UPDATE thank_yous SET state = ?, detail = ?, conversation_id = ?, activity_id = ?
         WHERE jamf_id = ? AND entra_device_id = ?`,
    ).run(
      outcome.state,
      sent ? null : outcome.detail,
      sent ? outcome.conversationId : null,
      sent ? outcome.activityId : null,
      jamfId,
      entraDeviceId,
    );
  }

  async getThankYou(jamfId: string, entraDeviceId: string): Promise<ThankYouRecord | null> {
    const row = this.prepare('SELECT * FROM thank_yous WHERE jamf_id = ? AND entra_device_id = ?').get(
      jamfId,
      entraDeviceId,
    ) as ThankYouRow | undefined;
    if (!row) return null;
    const campaigns = this.prepare(
      'SELECT campaign_id FROM campaign_conversions WHERE jamf_id = ? AND entra_device_id = ? ORDER BY campaign_id',
    ).all(jamfId, entraDeviceId) as { campaign_id: string }[];
    return toThankYou(
      row,
      campaigns.map((c) => c.campaign_id),
    );
  }

  async campaignConversions(campaignIds: string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = Object.fromEntries(campaignIds.map((id) => [id, 0]));
    const count = this.prepare('SELECT COUNT(*) AS n FROM campaign_conversions WHERE campaign_id = ?');
    for (const id of campaignIds) out[id] = Number((count.get(id) as { n: number }).n);
    return out;
  }

  async recordDrops(drops: readonly ComplianceDrop[], pruneBefore: string): Promise<void> {
    const upsert = this.prepare(
      `INSERT INTO compliance_drops (jamf_id, name, dropped_at) VALUES (?, ?, ?)
       ON CONFLICT (jamf_id) DO UPDATE SET name = COALESCE(excluded.name, compliance_drops.name),
         dropped_at = MAX(excluded.dropped_at, compliance_drops.dropped_at)`,
    );
    this.db.transaction(() => {
      for (const d of drops) upsert.run(d.jamfId, d.name, d.at);
      this.prepare('DELETE FROM compliance_drops WHERE dropped_at < ?').run(pruneBefore);
    })();
  }

  async dropWindow(since: string, names: number): Promise<DropWindow> {
    const times = this.prepare(
      `SELECT COUNT(*) AS count, MIN(dropped_at) AS first_at, MAX(dropped_at) AS last_at
         FROM compliance_drops WHERE dropped_at >= ?`,
    ).get(since) as DropWindowRow | undefined;
    const first = this.prepare(
      `SELECT COALESCE(name, 'Jamf computer ' || jamf_id) AS name FROM compliance_drops WHERE dropped_at >= ?
         ORDER BY dropped_at, jamf_id LIMIT ?`,
    ).all(since, limitOf(names)) as { name: string }[];
    return { ...windowTimes(times), names: first.map((r) => r.name) };
  }

  async getDropEpisode(): Promise<DropEpisode | null> {
    const row = this.prepare('SELECT * FROM drop_episode WHERE key = ?').get(DROP_EPISODE_KEY) as
      EpisodeRow | undefined;
    return row ? toEpisode(row) : null;
  }

  async openDropEpisode(episode: DropEpisode, replacing: string | null): Promise<boolean> {
    if (replacing === null) {
      return (
        this.prepare(
          `INSERT INTO drop_episode (key, id, since, opened_at, last_drop_at, card_conversation_id,
             card_activity_id, card_count, card_updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
        ).run(...episodeParams(episode)).changes === 1
      );
    }
    const [key, ...rest] = episodeParams(episode);
    return (
      this.prepare(
        `UPDATE drop_episode SET id = ?, since = ?, opened_at = ?, last_drop_at = ?, card_conversation_id = ?,
           card_activity_id = ?, card_count = ?, card_updated_at = ?
         WHERE key = ? AND id = ?`,
      ).run(...rest, key, replacing).changes === 1
    );
  }

  async extendDropEpisode(id: string, lastDropAt: string): Promise<void> {
    this.prepare('UPDATE drop_episode SET last_drop_at = MAX(last_drop_at, ?) WHERE key = ? AND id = ?').run(
      lastDropAt,
      DROP_EPISODE_KEY,
      id,
    );
  }

  async setDropEpisodeCard(
    id: string,
    card: NonNullable<DropEpisode['card']>,
    count: number,
    at: string,
  ): Promise<void> {
    this.prepare(
      `UPDATE drop_episode SET card_conversation_id = ?, card_activity_id = ?, card_count = ?, card_updated_at = ?
         WHERE key = ? AND id = ?`,
    ).run(card.conversationId, card.activityId, count, at, DROP_EPISODE_KEY, id);
  }

  async claimDropCardUpdate(id: string, count: number, at: string, notSince: string): Promise<boolean> {
    return (
      this.prepare(
        `UPDATE drop_episode SET card_count = ?, card_updated_at = ?
           WHERE key = ? AND id = ? AND card_conversation_id IS NOT NULL AND card_count <> ?
             AND (card_updated_at IS NULL OR card_updated_at <= ?)`,
      ).run(count, at, DROP_EPISODE_KEY, id, count, notSince).changes === 1
    );
  }
}
