import type { OutboxOutcome, OutboxRow, OutboxState } from '../../compliance/campaignTypes';

/** A page of one campaign's rows: `seq` after `afterSeq`, optionally only some states. */
export interface ListOutboxOptions {
  states?: OutboxState[];
  limit: number;
  afterSeq?: number;
}

/** Who claims (the lease owner), the time now, until when the lease holds, and how many rows. */
export interface ClaimOutboxOptions {
  owner: string;
  now: string;
  leaseUntil: string;
  limit: number;
}

/** One row of the outbox: a campaign × a recipient. */
export interface OutboxKey {
  campaignId: string;
  recipientId: string;
}

/** Recovery after a crash: `takeOverAll` when this is the only instance (SQLite). */
export interface RecoverOutboxOptions {
  owner: string;
  now: string;
  takeOverAll: boolean;
}

/**
 * The campaigns' outbox: one row per campaign × recipient, claimed under a lease by the
 * dispatcher. Every transition is one conditional update, so several instances never take the
 * same row.
 */
export interface OutboxQueue {
  /** Rows of a campaign in `seq` order, optionally only some states; pages with `afterSeq`. */
  listOutbox(campaignId: string, opts: ListOutboxOptions): Promise<OutboxRow[]>;
  /**
   * Claims up to `limit` due pending rows of running campaigns for `owner` until `leaseUntil`
   * (`pending → claimed`), oldest campaign first. Several callers never get the same row.
   */
  claimOutbox(opts: ClaimOutboxOptions): Promise<OutboxRow[]>;
  /**
   * Extends to `leaseUntil` the lease of those `rows` that `owner` still holds (claimed or
   * sending): a live instance whose sends wait on the pacer or a `Retry-After` keeps its rows.
   * Only the rows the instance still works on — one it gave up on (its outcome could not be
   * written) lets its lease run out, and recovery decides. Returns how many were renewed.
   */
  renewLeases(owner: string, rows: readonly OutboxKey[], leaseUntil: string, at: string): Promise<number>;
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
  recoverOutbox(opts: RecoverOutboxOptions): Promise<{ requeued: number; inDoubt: number }>;
  /** Failed rows back to pending with fresh attempts (Resend to failed); the campaign runs again. */
  requeueFailed(campaignId: string, at: string): Promise<number>;
  /**
   * Resend to in doubt: the campaign's in-doubt rows that were in doubt by `asOf` (what the admin
   * was shown) and were never resent go back to pending, marked `resent_at = at` — so a second
   * press, or a later one, puts none of them back again; the campaign runs again. Returns how many.
   */
  requeueInDoubt(campaignId: string, asOf: string, at: string): Promise<number>;
}
