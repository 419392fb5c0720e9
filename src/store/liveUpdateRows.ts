import type {
  DropEpisode,
  ThankYouRecord,
  ThankYouState,
  ThankYouWatch,
} from '../compliance/liveUpdateTypes';

/**
 * The live features' rows as both databases return them (instants: ISO text in SQLite, `Date`
 * from PostgreSQL's `timestamptz`), and their one mapping to the records.
 */
type Instant = string | Date;
const iso = (v: Instant): string => (typeof v === 'string' ? v : v.toISOString());
const isoOrNull = (v: Instant | null): string | null => (v === null ? null : iso(v));

export interface WatchRow {
  jamf_id: string;
  recipient_id: string;
  recipient_name: string | null;
  recipient_upn: string | null;
  mac_name: string;
  locale: string | null;
  entered_at: Instant;
  give_up_at: Instant;
  next_check_at: Instant;
  attempts: number;
}

export const toWatch = (r: WatchRow): ThankYouWatch => ({
  jamfId: r.jamf_id,
  recipientId: r.recipient_id,
  recipientName: r.recipient_name,
  recipientUpn: r.recipient_upn,
  macName: r.mac_name,
  locale: r.locale,
  enteredAt: iso(r.entered_at),
  giveUpAt: iso(r.give_up_at),
  nextCheckAt: iso(r.next_check_at),
  attempts: Number(r.attempts),
});

/** The watch's columns in insert order. */
export const watchParams = (w: ThankYouWatch): unknown[] => [
  w.jamfId,
  w.recipientId,
  w.recipientName,
  w.recipientUpn,
  w.macName,
  w.locale,
  w.enteredAt,
  w.giveUpAt,
  w.nextCheckAt,
  w.attempts,
];

export interface ThankYouRow {
  jamf_id: string;
  entra_device_id: string;
  recipient_id: string;
  mac_name: string;
  confirmed_at: Instant;
  state: string;
  detail: string | null;
  conversation_id: string | null;
  activity_id: string | null;
}

export const toThankYou = (r: ThankYouRow, campaignIds: string[]): ThankYouRecord => ({
  jamfId: r.jamf_id,
  entraDeviceId: r.entra_device_id,
  recipientId: r.recipient_id,
  macName: r.mac_name,
  confirmedAt: iso(r.confirmed_at),
  state: r.state as ThankYouState,
  campaignIds,
  detail: r.detail,
  conversationId: r.conversation_id,
  activityId: r.activity_id,
});

export interface EpisodeRow {
  id: string;
  since: Instant;
  opened_at: Instant;
  last_drop_at: Instant;
  card_conversation_id: string | null;
  card_activity_id: string | null;
  card_count: number;
  card_updated_at: Instant | null;
}

export const toEpisode = (r: EpisodeRow): DropEpisode => ({
  id: r.id,
  since: iso(r.since),
  openedAt: iso(r.opened_at),
  lastDropAt: iso(r.last_drop_at),
  card: r.card_conversation_id
    ? { conversationId: r.card_conversation_id, activityId: r.card_activity_id }
    : null,
  cardCount: Number(r.card_count),
  cardUpdatedAt: isoOrNull(r.card_updated_at),
});

/** The episode's columns in insert order (the key first: there is one episode row). */
export const episodeParams = (e: DropEpisode): unknown[] => [
  DROP_EPISODE_KEY,
  e.id,
  e.since,
  e.openedAt,
  e.lastDropAt,
  e.card?.conversationId ?? null,
  e.card?.activityId ?? null,
  e.cardCount,
  e.cardUpdatedAt,
];

export const DROP_EPISODE_KEY = 'compliance';

export interface DropWindowRow {
  count: number | string;
  first_at: Instant | null;
  last_at: Instant | null;
}

export const windowTimes = (r: DropWindowRow | undefined) => ({
  count: Number(r?.count ?? 0),
  firstAt: r?.first_at ? iso(r.first_at) : null,
  lastAt: r?.last_at ? iso(r.last_at) : null,
});
