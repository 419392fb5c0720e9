import type { AuditActor } from './auditTypes';

/**
 * The records of reminder campaigns, shared by the store, the campaign engine (broadcasts/) and
 * the cards that show them: the campaign, one outbox row per campaign × recipient, its counts,
 * and cron schedules. Plain data; the store's port is `CampaignStore` (src/store/campaignStore.ts).
 */

/** Who gets a campaign. */
export type CampaignAudience = 'not-registered' | 'non-compliant' | 'all';

export type CampaignState = 'running' | 'paused' | 'cancelled' | 'done';

/**
 * One recipient's row. `pending → claimed → sending → sent | failed | skipped | in_doubt`; a
 * failure that certainly delivered nothing puts it back to `pending` (with `notBefore`). `claimed`
 * rows have not been sent (a restart puts them back). A send whose answer was lost after Teams
 * may have delivered it (a 502/504, a reset or timeout after the request was written), and a
 * `sending` row found after a crash, become `in_doubt`: never resent automatically, only by an
 * admin's **Resend to in doubt** (once per row: `resentAt`).
 */
export type OutboxState = 'pending' | 'claimed' | 'sending' | 'sent' | 'failed' | 'skipped' | 'in_doubt';

export const FINAL_OUTBOX_STATES: readonly OutboxState[] = ['sent', 'failed', 'skipped', 'in_doubt'];

/** Why a recipient was not sent the reminder. */
export type SkipReason = 'now_compliant' | 'frequency_cap' | 'cancelled' | 'no_macs_left';

/** A permanent failure on the person's side: they cannot be reached by the bot. */
export type UnreachableReason =
  'blocked' | 'bot_disabled' | 'not_installed' | 'install_refused' | 'user_not_found';

/** A permanent failure Teams answered for the conversation or the request itself. */
export type RefusedReason =
  'conversation_not_found' | 'forbidden' | 'bad_request' | 'throttled' | 'unavailable';

/**
 * Why a reminder is in doubt: it may have arrived, so it is not sent again by itself. Teams has
 * no idempotency key for a send, so a blind retry could remind the person twice.
 */
export type InDoubtReason =
  /** The process stopped between writing `sending` and recording the answer. */
  | 'crashed_mid_send'
  /** A gateway answered 502 or 504: the request may have reached Teams behind it. */
  | 'gateway_error'
  /** Teams answered 500 (or 503 without `Retry-After`) after receiving the request. */
  | 'server_error'
  /** The connection broke after the whole request was written (a reset, a hang-up). */
  | 'connection_lost'
  /** No answer in time after the whole request was written. */
  | 'no_answer'
  /** The send threw something that is not an answer from Teams: it may have gone out. */
  | 'unexpected_error';

/** Why a send failed for good (the last two: the bot could not prepare the send). */
export type FailReason = UnreachableReason | RefusedReason | 'no_conversation' | 'recheck_failed';

/** A Mac of the recipient's that needs attention, as the reminder card shows it. */
export interface ReminderMac {
  computerId: string;
  name: string;
  serialNumber: string | null;
  verdict: string;
  /**
   * Set on a device card's *Send the user the fix* (issue 19): the reminder is about this Mac
   * only and links to the registration policy in Self Service (`jamfselfservice://…`).
   */
  selfServiceUrl?: string;
}

/** A person a campaign reaches, as resolved from the fleet when the campaign was created. */
export interface CampaignRecipient {
  /** Entra object id: the key of the outbox row and of the frequency cap. */
  recipientId: string;
  name: string | null;
  upn: string | null;
  macs: ReminderMac[];
}

/** Who started a campaign or schedule (the audit log's actor). */
export type CampaignActor = AuditActor;

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
  /** When an admin's **Resend to in doubt** put this row back (it is never put back again). */
  resentAt: string | null;
  updatedAt: string;
}

export interface CampaignCounts {
  total: number;
  pending: number;
  /** Claimed or being sent right now. */
  inFlight: number;
  sent: number;
  inDoubt: number;
  /** In-doubt rows by reason (`InDoubtReason`); sums to `inDoubt`. */
  inDoubtReasons: Record<string, number>;
  /** In-doubt rows never resent: what **Resend to in doubt** would send again. */
  inDoubtResendable: number;
  failed: Record<string, number>;
  skipped: Record<string, number>;
}

/** How a claimed row ends (or goes back to wait). */
export type OutboxOutcome =
  | { state: 'sent'; conversationId: string; activityId: string | null }
  | { state: 'failed'; reason: FailReason; detail?: string }
  | { state: 'skipped'; reason: SkipReason; detail?: string }
  | { state: 'in_doubt'; reason: InDoubtReason; detail?: string }
  | { state: 'pending'; notBefore: string; attempts?: number; throttles?: number; detail?: string };

/** What `createCampaign` is given: the campaign's fixed fields and its audience. */
export type NewCampaign = Pick<
  Campaign,
  'id' | 'createdAt' | 'createdBy' | 'audience' | 'groupName' | 'deadline' | 'scheduleId'
> & { recipients: CampaignRecipient[] };

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
