import type { Logger } from '../log';
import type { QueuedWebhook, WebhookQueue } from '../store/ports/webhookQueue';

/** A computer smart group's membership change, in the order Jamf reported them (for the drop alert). */
export interface MembershipChange {
  groupId: string;
  groupName: string;
  added: string[];
  removed: string[];
  at: Date;
}

export interface WebhookWorkerDeps {
  queue: Pick<WebhookQueue, 'claimWebhooks' | 'finishWebhooks' | 'retryWebhooks'>;
  /** Re-reads these Macs from Jamf (filtered listings), re-joins and publishes them in the snapshot. */
  refreshComputers(jamfIds: string[]): Promise<void>;
  /** Hears each smart group change once its Macs are refreshed (at least once: a crash may repeat one). */
  onMembershipChange?(e: MembershipChange): Promise<void> | void;
  logger: Logger;
  now?: () => Date;
}

export interface WebhookWorkerOptions {
  /** This instance, as the lease owner. */
  owner: string;
  /** Single instance (SQLite): rows a previous run of this process leased are taken over at once. */
  singleInstance: boolean;
  /** How often the queue is looked at when nobody wakes the worker. */
  pollMs?: number;
  /** After a wake, how long to let a burst gather before claiming (more ids per listing). */
  gatherMs?: number;
  /** Deliveries claimed per round. */
  claimLimit?: number;
  /** Ids per `refreshComputers` call: one Jamf listing's worth. */
  chunkSize?: number;
  leaseMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Failed refreshes after which a delivery is given up (the scheduled resync still covers its Macs). */
  maxAttempts?: number;
}

/** What one round did (tests, logs). */
export interface WorkerRound {
  deliveries: number;
  ids: number;
  refreshCalls: number;
  done: number;
  retried: number;
  failed: number;
}

const byNumber = (a: string, b: string): number => Number(a) - Number(b) || a.localeCompare(b);

/** `ids` in runs of at most `size`. */
function chunksOf(ids: string[], size: number): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

/**
 * Turns queued Jamf webhook deliveries into refreshes: claims a batch under a lease, coalesces the
 * Macs they name (a burst of 50 deliveries naming 5,000 Macs becomes 50 listings of 100, never
 * one request per Mac), calls `refreshComputers`, then hands smart group changes to
 * `onMembershipChange` in event order, and marks the deliveries done. A delivery whose Macs could
 * not be refreshed stays queued and is retried with exponential backoff; a process that dies
 * leaves its rows leased until the lease ends (at once, for a single instance), so nothing
 * accepted is lost.
 */
export class WebhookWorker {
  private readonly opts: Required<WebhookWorkerOptions>;
  private timer: NodeJS.Timeout | null = null;
  /** When the pending timer fires (ms since the epoch). */
  private dueAt = 0;
  private running: Promise<void> | null = null;
  private stopped = true;
  private wakeRequested = false;

  constructor(
    private readonly deps: WebhookWorkerDeps,
    opts: WebhookWorkerOptions,
  ) {
    this.opts = {
      pollMs: 5_000,
      gatherMs: 250,
      claimLimit: 500,
      chunkSize: 100,
      leaseMs: 10 * 60_000,
      backoffBaseMs: 5_000,
      backoffMaxMs: 15 * 60_000,
      maxAttempts: 12,
      ...opts,
    };
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling and waits for the round in flight (its rows are finished or stay queued). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** A delivery was queued: look soon (after `gatherMs`) rather than at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    // A round already due within the gather time stays put: a steady stream of deliveries must
    // not push it back for ever.
    if (this.timer && this.dueAt <= Date.now() + this.opts.gatherMs) return;
    this.schedule(this.opts.gatherMs);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = Date.now() + ms;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.loop().finally(() => {
        this.running = null;
        const again = this.wakeRequested;
        this.wakeRequested = false;
        this.schedule(again ? this.opts.gatherMs : this.opts.pollMs);
      });
    }, ms);
    this.timer.unref();
  }

  /** Rounds until the queue has nothing due (or the worker stops). */
  private async loop(): Promise<void> {
    try {
      while (!this.stopped) {
        const round = await this.runOnce();
        if (round.deliveries < this.opts.claimLimit) return;
      }
    } catch (err) {
      this.deps.logger.error({ err }, 'webhook worker: round failed; retrying at the next poll');
    }
  }

  /** One round: claim, refresh in chunks, report group changes, finish or retry. */
  async runOnce(): Promise<WorkerRound> {
    const { owner, leaseMs, claimLimit, chunkSize } = this.opts;
    const now = this.now();
    const claimed = await this.deps.queue.claimWebhooks({
      owner,
      now: now.toISOString(),
      leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
      limit: claimLimit,
      takeOverOthers: this.opts.singleInstance,
    });
    const round: WorkerRound = {
      deliveries: claimed.length,
      ids: 0,
      refreshCalls: 0,
      done: 0,
      retried: 0,
      failed: 0,
    };
    if (claimed.length === 0) return round;

    const ids = [...new Set(claimed.flatMap((d) => d.computerIds))].sort(byNumber);
    round.ids = ids.length;
    const unrefreshed = new Set<string>();
    for (const chunk of chunksOf(ids, chunkSize)) {
      round.refreshCalls++;
      try {
        await this.deps.refreshComputers(chunk);
      } catch (err) {
        this.deps.logger.warn(
          { err, ids: chunk.length },
          'webhook worker: refresh failed; the deliveries will be retried',
        );
        for (const id of chunk) unrefreshed.add(id);
      }
    }

    const ok: QueuedWebhook[] = [];
    const again: QueuedWebhook[] = [];
    for (const d of claimed) (d.computerIds.some((id) => unrefreshed.has(id)) ? again : ok).push(d);
    // Group changes in Jamf's order (deliveries can arrive out of order).
    ok.sort((a, b) => a.eventTimestamp.localeCompare(b.eventTimestamp));
    const done: QueuedWebhook[] = [];
    for (const d of ok) {
      if (d.group && this.deps.onMembershipChange) {
        try {
          await this.deps.onMembershipChange({ ...d.group, at: new Date(d.eventTimestamp) });
        } catch (err) {
          this.deps.logger.warn(
            { err, group: d.group.groupName },
            'webhook worker: membership change not handled; retrying',
          );
          again.push(d);
          continue;
        }
      }
      done.push(d);
    }

    const at = this.now().toISOString();
    if (done.length) round.done = await this.deps.queue.finishWebhooks(keysOf(done), owner, 'done', at);
    const giveUp = again.filter((d) => d.attempts + 1 >= this.opts.maxAttempts);
    if (giveUp.length) {
      round.failed = await this.deps.queue.finishWebhooks(keysOf(giveUp), owner, 'failed', at);
      this.deps.logger.error(
        { deliveries: giveUp.length },
        'webhook worker: deliveries given up after repeated failures',
      );
    }
    // Retried by attempt count: each group waits its own backoff.
    const byAttempts = new Map<number, QueuedWebhook[]>();
    for (const d of again)
      if (!giveUp.includes(d)) byAttempts.set(d.attempts, [...(byAttempts.get(d.attempts) ?? []), d]);
    for (const [attempts, rows] of byAttempts) {
      const wait = Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** attempts);
      const notBefore = new Date(this.now().getTime() + wait).toISOString();
      round.retried += await this.deps.queue.retryWebhooks(keysOf(rows), owner, notBefore);
    }
    return round;
  }
}

const keysOf = (rows: QueuedWebhook[]): string[] => rows.map((d) => d.deliveryKey);
