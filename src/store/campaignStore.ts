/**
 * What reminder campaigns keep in the store: the campaign, one outbox row per campaign ×
 * recipient, the reminder history behind the frequency cap, cron schedules, and the
 * "fire once per due time" claim. Database-neutral: every state change is one conditional
 * update (`UPDATE … WHERE state = … RETURNING`), so a PostgreSQL implementation can claim with
 * `FOR UPDATE SKIP LOCKED` and several instances never take the same row.
 */

/** Who gets a campaign. */
export type CampaignAudience = 'not-registered' | 'non-compliant' | 'all';

export type CampaignState = 'running' | 'paused' | 'cancelled' | 'done';

/**
 * One recipient's row. `pending → claimed → sending → sent | failed | skipped`; a retryable
 * failure puts it back to `pending` (with `notBefore`). `claimed` rows have not been sent (a
 * restart puts them back); a `sending` row found after a crash becomes `in_doubt` and is never
 * resent automatically.
 */
export type OutboxState = 'pending' | 'claimed' | 'sending' | 'sent' | 'failed' | 'skipped' | 'in_doubt';

export const FINAL_OUTBOX_STATES: readonly OutboxState[] = ['sent', 'failed', 'skipped', 'in_doubt'];

/** Why a recipient was not sent the reminder. */
export type SkipReason = 'now_compliant' | 'frequency_cap' | 'cancelled' | 'no_macs_left';

/** Why a send failed for good. */
export type FailReason =
  | 'blocked'
  | 'bot_disabled'
  | 'not_installed'
  | 'install_refused'
  | 'user_not_found'
  | 'conversation_not_found'
  | 'forbidden'
  | 'bad_request'
  | 'throttled'
  | 'unavailable'
  | 'no_conversation'
  | 'recheck_failed';

/** A Mac of the recipient's that needs attention, as the reminder card shows it. */
export interface ReminderMac {
  computerId: string;
  name: string;
  serialNumber: string | null;
  verdict: string;
}

/** A person a campaign reaches, as resolved from the fleet when the campaign was created. */
export interface CampaignRecipient {
  /** Entra object id: the key of the outbox row and of the frequency cap. */
  recipientId: string;
  name: string | null;
  upn: string | null;
  macs: ReminderMac[];
}

export interface CampaignActor {
  teamsUserId: string;
  aadObjectId: string | null;
  name: string | null;
}

export interface Campaign {
  id: string;
  createdAt: string;
  createdBy: CampaignActor;
  audience: CampaignAudience;
  groupName: string | null;
  /** `YYYY-MM-DD`, shown on the reminder card; null = none. */
  deadline: string | null;
  state: CampaignState;
  /** The schedule that created it, if any. */
  scheduleId: string | null;
  /** The progress card in the channel: updated in place while the campaign runs. */
  progressCard: { conversationId: string; activityId: string } | null;
  updatedAt: string;
  finishedAt: string | null;
}

export interface OutboxRow {
  campaignId: string;
  recipientId: string;
  /** Order of creation inside the campaign. */
  seq: number;
  recipient: CampaignRecipient;
  state: OutboxState;
  reason: string | null;
  /** Status or error detail of the last failure (no secrets). */
  detail: string | null;
  /** Transient failures so far (429s are not counted here). */
  attempts: number;
  throttles: number;
  notBefore: string | null;
  /** The instance that claimed the row, and until when the claim holds. */
  leaseOwner: string | null;
  leaseUntil: string | null;
  conversationId: string | null;
  activityId: string | null;
  updatedAt: string;
}

export interface CampaignCounts {
  total: number;
  pending: number;
  /** Claimed or being sent right now. */
  inFlight: number;
  sent: number;
  inDoubt: number;
  failed: Record<string, number>;
  skipped: Record<string, number>;
}

/** How a claimed row ends (or goes back to wait). */
export type OutboxOutcome =
  | { state: 'sent'; conversationId: string; activityId: string | null }
  | { state: 'failed'; reason: FailReason; detail?: string }
  | { state: 'skipped'; reason: SkipReason; detail?: string }
  | { state: 'pending'; notBefore: string; attempts?: number; throttles?: number; detail?: string };

export interface NewCampaign {
  id: string;
  createdAt: string;
  createdBy: CampaignActor;
  audience: CampaignAudience;
  groupName: string | null;
  deadline: string | null;
  scheduleId: string | null;
  recipients: CampaignRecipient[];
}

/** A recurring campaign: a cron expression in a time zone, and the `remind send` options. */
export interface CampaignSchedule {
  id: string;
  cron: string;
  timeZone: string;
  audience: CampaignAudience;
  groupName: string | null;
  /** Days after each run the reminder's deadline falls; null = no deadline. */
  deadlineDays: number | null;
  /** Where the progress card of each run goes. */
  conversationId: string;
  createdAt: string;
  createdBy: CampaignActor;
}

export interface CampaignStore {
  /** Creates the campaign (running) and one pending outbox row per recipient, atomically. */
  createCampaign(c: NewCampaign): Promise<Campaign>;
  getCampaign(id: string): Promise<Campaign | null>;
  /** Newest first. */
  listCampaigns(opts: { limit: number }): Promise<Campaign[]>;
  /**
   * Moves a campaign from one of `from` to `to`; false when it was in another state (someone
   * else changed it first). Cancelling also skips every row not yet claimed (`cancelled`).
   */
  transitionCampaign(id: string, from: CampaignState[], to: CampaignState, at: string): Promise<boolean>;
  setProgressCard(id: string, card: { conversationId: string; activityId: string }): Promise<void>;
  /** Running → done once no row is pending, claimed or sending; true when it moved now. */
  completeCampaignIfDrained(id: string, at: string): Promise<boolean>;
  campaignCounts(id: string): Promise<CampaignCounts>;
  /** Rows of a campaign in `seq` order, optionally only some states; pages with `afterSeq`. */
  listOutbox(
    campaignId: string,
    opts: { states?: OutboxState[]; limit: number; afterSeq?: number },
  ): Promise<OutboxRow[]>;

  /**
   * Claims up to `limit` due pending rows of running campaigns for `owner` until `leaseUntil`
   * (`pending → claimed`), oldest campaign first. Several callers never get the same row.
   */
  claimOutbox(opts: { owner: string; now: string; leaseUntil: string; limit: number }): Promise<OutboxRow[]>;
  /**
   * Extends the lease of every row `owner` holds (claimed or sending) to `leaseUntil`: a live
   * instance whose sends wait on the pacer or a `Retry-After` keeps its rows. Returns how many.
   */
  renewLeases(owner: string, leaseUntil: string, at: string): Promise<number>;
  /** `claimed → sending`, written before the send; false when the row is no longer ours. */
  markSending(campaignId: string, recipientId: string, owner: string, at: string): Promise<boolean>;
  /** Ends (or re-queues) a row this owner holds; false when it was not ours any more. */
  finishOutbox(
    campaignId: string,
    recipientId: string,
    owner: string,
    outcome: OutboxOutcome,
    at: string,
  ): Promise<boolean>;
  /** A claimed row the dispatcher will not send now (campaign paused) goes back to pending. */
  releaseOutbox(campaignId: string, recipientId: string, owner: string, at: string): Promise<void>;
  /**
   * After a crash: rows whose lease expired (all rows not held by `owner` when `takeOverAll`,
   * the single-instance case) are recovered — `claimed → pending`, `sending → in_doubt`.
   */
  recoverOutbox(opts: {
    owner: string;
    now: string;
    takeOverAll: boolean;
  }): Promise<{ requeued: number; inDoubt: number }>;
  /** Failed rows back to pending with fresh attempts (Resend to failed); the campaign runs again. */
  requeueFailed(campaignId: string, at: string): Promise<number>;

  /**
   * The frequency cap: records that `recipientId` is being reminded by `campaignId`, unless
   * another campaign reminded them at or after `since`. True = go ahead (also when this campaign
   * already holds the reservation).
   */
  reserveReminder(recipientId: string, campaignId: string, at: string, since: string): Promise<boolean>;
  /** Drops a reservation whose send did not happen (failed or skipped). */
  releaseReminder(recipientId: string, campaignId: string): Promise<void>;

  /** The personal conversation with a user, if the bot has one. */
  findPersonalConversation(aadObjectId: string): Promise<{
    conversationId: string;
    reference: Record<string, unknown>;
  } | null>;

  saveSchedule(s: CampaignSchedule): Promise<void>;
  listSchedules(): Promise<CampaignSchedule[]>;
  deleteSchedule(id: string): Promise<boolean>;
}
