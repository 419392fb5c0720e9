/** A smart group's membership change, as Jamf reported it (kept for the drop alert). */
export interface WebhookGroupChange {
  groupId: string;
  groupName: string;
  added: string[];
  removed: string[];
}

/**
 * One Jamf Pro webhook delivery, normalised: which Macs it names (Jamf computer ids) and, for
 * `SmartGroupComputerMembershipChange`, the group. The payload is a hint only: the worker re-reads
 * the named Macs from Jamf.
 */
export interface WebhookDelivery {
  /** A hash of webhook id, event, timestamp and normalised body: a repeated delivery has the same key. */
  deliveryKey: string;
  webhookId: string;
  /** Jamf's `webhookEvent`, e.g. `ComputerInventoryCompleted`. */
  event: string;
  /** Jamf's `eventTimestamp` (epoch ms) as an ISO instant. */
  eventTimestamp: string;
  computerIds: string[];
  group: WebhookGroupChange | null;
}

/** A queued delivery, as the worker claims it. */
export interface QueuedWebhook extends WebhookDelivery {
  receivedAt: string;
  /** Failed refreshes so far. */
  attempts: number;
}

/** Who claims (the lease owner), the time now, until when the lease holds, and how many rows. */
export interface ClaimWebhooksOptions {
  owner: string;
  now: string;
  leaseUntil: string;
  limit: number;
  /**
   * Also take rows other owners hold whatever their lease: only for a single instance (SQLite),
   * where another owner can only be this process before a restart.
   */
  takeOverOthers?: boolean;
}

/** What the queue holds, by state (tests, metrics). */
export interface WebhookQueueCounts {
  queued: number;
  done: number;
  failed: number;
}

/**
 * The durable queue between the webhook endpoint and the worker: a delivery is one row keyed by
 * its `deliveryKey`, so a repeated delivery is recognised and processed once. Claims are leases:
 * a worker that dies leaves its rows to whoever claims after the lease ends; several instances
 * never hold the same row at once. Finished rows are kept for `WEBHOOK_RETENTION_MS` (so late
 * repeats are still recognised), then deleted.
 */
export interface WebhookQueue {
  /** Stores a delivery (queued, due now); false when its key is already known (a repeat). */
  enqueueWebhook(d: WebhookDelivery, receivedAt: string): Promise<boolean>;
  /** Leases up to `limit` due queued rows (none leased, or lease expired), oldest received first. */
  claimWebhooks(opts: ClaimWebhooksOptions): Promise<QueuedWebhook[]>;
  /** Ends rows `owner` holds as done (refreshed) or failed (given up); returns how many. */
  finishWebhooks(keys: string[], owner: string, outcome: 'done' | 'failed', at: string): Promise<number>;
  /** Releases rows `owner` holds for another try at `notBefore` (one more attempt counted). */
  retryWebhooks(keys: string[], owner: string, notBefore: string): Promise<number>;
  /** A stored delivery by key (null when unknown or deleted). */
  getWebhook(deliveryKey: string): Promise<(QueuedWebhook & { state: keyof WebhookQueueCounts }) | null>;
  webhookQueueCounts(): Promise<WebhookQueueCounts>;
}
