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
import { PgFleetSnapshotStore } from './pgFleetSnapshotStore';
import type { DropAlertStore } from './ports/dropAlertStore';
import type { ClaimWatchesOptions, ThankYouStore } from './ports/thankYouStore';

/**
 * The thank-you and drop-alert ports on PostgreSQL (a link in the store's class chain:
 * … → PgFleetSnapshotStore → this → PgBotStore), statement for statement as on SQLite: the
 * once-per-Mac claim is the primary key, due watches are taken with `FOR UPDATE SKIP LOCKED`,
 * and the episode row changes only by compare-and-set on its id, so instances sharing the
 * database never send a card twice.
 */
export class PgLiveUpdateStore extends PgFleetSnapshotStore implements ThankYouStore, DropAlertStore {
  async watchThankYou(w: ThankYouWatch): Promise<boolean> {
    const rows = await this.query(
      `INSERT INTO thank_you_watches (jamf_id, recipient_id, recipient_name, recipient_upn, mac_name, locale,
         entered_at, give_up_at, next_check_at, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (jamf_id) DO NOTHING RETURNING 1`,
      watchParams(w),
    );
    return rows.length === 1;
  }

  async getThankYouWatch(jamfId: string): Promise<ThankYouWatch | null> {
    const [row] = await this.query<WatchRow>('SELECT * FROM thank_you_watches WHERE jamf_id = $1', [jamfId]);
    return row ? toWatch(row) : null;
  }

  async claimDueThankYouWatches(opts: ClaimWatchesOptions): Promise<ThankYouWatch[]> {
    const rows = await this.query<WatchRow>(
      `WITH picked AS MATERIALIZED (
         SELECT jamf_id FROM thank_you_watches
           WHERE next_check_at <= $3 AND (lease_until IS NULL OR lease_until <= $3)
           ORDER BY next_check_at, jamf_id COLLATE "C" LIMIT $4
           FOR UPDATE SKIP LOCKED)
       UPDATE thank_you_watches SET lease_owner = $1, lease_until = $2
         WHERE jamf_id IN (SELECT jamf_id FROM picked) RETURNING *`,
      [opts.owner, opts.leaseUntil, opts.now, limitOf(opts.limit)],
    );
    return rows.map(toWatch).sort((a, b) => a.nextCheckAt.localeCompare(b.nextCheckAt));
  }

  async rescheduleThankYouWatch(jamfId: string, nextCheckAt: string, attempts: number): Promise<void> {
    await this.query(
      `UPDATE thank_you_watches SET next_check_at = $2, attempts = $3, lease_owner = NULL, lease_until = NULL
         WHERE jamf_id = $1`,
      [jamfId, nextCheckAt, attempts],
    );
  }

  async endThankYouWatch(jamfId: string): Promise<void> {
    await this.query('DELETE FROM thank_you_watches WHERE jamf_id = $1', [jamfId]);
  }

  async claimThankYou(r: ThankYouClaim, remindedSince: string): Promise<ThankYouRecord | null> {
    return this.transaction(async (client) => {
      const inserted = await client.query(
        `INSERT INTO thank_yous (jamf_id, entra_device_id, recipient_id, mac_name, confirmed_at, state)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (jamf_id) DO NOTHING RETURNING 1`,
        [r.jamfId, r.entraDeviceId, r.recipientId, r.macName, r.confirmedAt, r.state],
      );
      if (inserted.rowCount !== 1) return null;
      const campaigns = await client.query<{ campaign_id: string }>(
        `INSERT INTO campaign_conversions (campaign_id, jamf_id, entra_device_id, recipient_id, converted_at)
         SELECT DISTINCT campaign_id, $1::text, $2::text, $3::text, $4::timestamptz FROM campaign_outbox
           WHERE recipient_id = $3 AND state = 'sent' AND updated_at >= $5
         RETURNING campaign_id`,
        [r.jamfId, r.entraDeviceId, r.recipientId, r.confirmedAt, remindedSince],
      );
      return {
        ...r,
        campaignIds: campaigns.rows.map((c) => c.campaign_id).sort(),
        detail: null,
        conversationId: null,
        activityId: null,
      };
    });
  }

  async finishThankYou(jamfId: string, entraDeviceId: string, outcome: ThankYouOutcome): Promise<void> {
    const sent = outcome.state === 'sent';
    await this.query(
      `UPDATE thank_yous SET state = $3, detail = $4, conversation_id = $5, activity_id = $6
         WHERE jamf_id = $1 AND entra_device_id = $2`,
      [
        jamfId,
        entraDeviceId,
        outcome.state,
        sent ? null : outcome.detail,
        sent ? outcome.conversationId : null,
        sent ? outcome.activityId : null,
      ],
    );
  }

  async getThankYou(jamfId: string, entraDeviceId: string): Promise<ThankYouRecord | null> {
    const [row] = await this.query<ThankYouRow>(
      'SELECT * FROM thank_yous WHERE jamf_id = $1 AND entra_device_id = $2',
      [jamfId, entraDeviceId],
    );
    if (!row) return null;
    const campaigns = await this.query<{ campaign_id: string }>(
      `SELECT campaign_id FROM campaign_conversions WHERE jamf_id = $1 AND entra_device_id = $2
         ORDER BY campaign_id COLLATE "C"`,
      [jamfId, entraDeviceId],
    );
    return toThankYou(
      row,
      campaigns.map((c) => c.campaign_id),
    );
  }

  async campaignConversions(campaignIds: string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = Object.fromEntries(campaignIds.map((id) => [id, 0]));
    if (campaignIds.length === 0) return out;
    const rows = await this.query<{ campaign_id: string; n: string }>(
      `SELECT campaign_id, COUNT(*) AS n FROM campaign_conversions WHERE campaign_id = ANY($1::text[])
         GROUP BY campaign_id`,
      [campaignIds],
    );
    for (const r of rows) out[r.campaign_id] = Number(r.n);
    return out;
  }

  async recordDrops(drops: readonly ComplianceDrop[], pruneBefore: string): Promise<void> {
    await this.transaction(async (client) => {
      if (drops.length > 0) {
        // One statement for a burst; a Mac twice in one batch would make ON CONFLICT fail, so each once.
        const latest = new Map<string, ComplianceDrop>();
        for (const d of drops) {
          const seen = latest.get(d.jamfId);
          latest.set(d.jamfId, {
            jamfId: d.jamfId,
            name: d.name ?? seen?.name ?? null,
            at: seen && seen.at > d.at ? seen.at : d.at,
          });
        }
        const rows = [...latest.values()];
        await client.query(
          `INSERT INTO compliance_drops (jamf_id, name, dropped_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
           ON CONFLICT (jamf_id) DO UPDATE SET name = COALESCE(excluded.name, compliance_drops.name),
             dropped_at = GREATEST(excluded.dropped_at, compliance_drops.dropped_at)`,
          [rows.map((d) => d.jamfId), rows.map((d) => d.name), rows.map((d) => d.at)],
        );
      }
      await client.query('DELETE FROM compliance_drops WHERE dropped_at < $1', [pruneBefore]);
    });
  }

  async dropWindow(since: string, names: number): Promise<DropWindow> {
    const [times] = await this.query<DropWindowRow>(
      `SELECT COUNT(*) AS count, MIN(dropped_at) AS first_at, MAX(dropped_at) AS last_at
         FROM compliance_drops WHERE dropped_at >= $1`,
      [since],
    );
    const first = await this.query<{ name: string }>(
      `SELECT COALESCE(name, 'Jamf computer ' || jamf_id) AS name FROM compliance_drops WHERE dropped_at >= $1
         ORDER BY dropped_at, jamf_id COLLATE "C" LIMIT $2`,
      [since, limitOf(names)],
    );
    return { ...windowTimes(times), names: first.map((r) => r.name) };
  }

  async getDropEpisode(): Promise<DropEpisode | null> {
    const [row] = await this.query<EpisodeRow>('SELECT * FROM drop_episode WHERE key = $1', [
      DROP_EPISODE_KEY,
    ]);
    return row ? toEpisode(row) : null;
  }

  async openDropEpisode(episode: DropEpisode, replacing: string | null): Promise<boolean> {
    const params = episodeParams(episode);
    const rows =
      replacing === null
        ? await this.query(
            `INSERT INTO drop_episode (key, id, since, opened_at, last_drop_at, card_conversation_id,
               card_activity_id, card_count, card_updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (key) DO NOTHING RETURNING 1`,
            params,
          )
        : await this.query(
            `UPDATE drop_episode SET id = $2, since = $3, opened_at = $4, last_drop_at = $5,
               card_conversation_id = $6, card_activity_id = $7, card_count = $8, card_updated_at = $9
             WHERE key = $1 AND id = $10 RETURNING 1`,
            [...params, replacing],
          );
    return rows.length === 1;
  }

  async extendDropEpisode(id: string, lastDropAt: string): Promise<void> {
    await this.query(
      'UPDATE drop_episode SET last_drop_at = GREATEST(last_drop_at, $3) WHERE key = $1 AND id = $2',
      [DROP_EPISODE_KEY, id, lastDropAt],
    );
  }

  async setDropEpisodeCard(
    id: string,
    card: NonNullable<DropEpisode['card']>,
    count: number,
    at: string,
  ): Promise<void> {
    await this.query(
      `UPDATE drop_episode SET card_conversation_id = $3, card_activity_id = $4, card_count = $5,
         card_updated_at = $6 WHERE key = $1 AND id = $2`,
      [DROP_EPISODE_KEY, id, card.conversationId, card.activityId, count, at],
    );
  }

  async claimDropCardUpdate(id: string, count: number, at: string, notSince: string): Promise<boolean> {
    const rows = await this.query(
      `UPDATE drop_episode SET card_count = $3, card_updated_at = $4
         WHERE key = $1 AND id = $2 AND card_conversation_id IS NOT NULL AND card_count <> $3
           AND (card_updated_at IS NULL OR card_updated_at <= $5) RETURNING 1`,
      [DROP_EPISODE_KEY, id, count, at, notSince],
    );
    return rows.length === 1;
  }
}
