import type { Logger } from '../log';
import { RequestPacer, type SendPacer, type WindowLimit } from './requestPacer';

/** The slot table the instances share (PostgreSQL's `send_rate`, see `PgBotStore`). */
export interface SharedSendRate {
  /** Takes the next slot of `key` spaced `intervalMs` after the previous one; ms to wait for it. */
  reserveSendSlot(key: string, intervalMs: number): Promise<number>;
  /** Nobody gets a slot of `key` for the next `ms` (a 429's Retry-After). */
  holdSends(key: string, ms: number): Promise<void>;
}

export interface SharedRequestPacerOptions {
  rate: SharedSendRate;
  /** One ceiling per app per tenant: e.g. `${appId}:${tenantId}`. */
  key: string;
  /** Requests per second per app, across every instance (Teams: 50 per app per tenant). */
  perSecond: number;
  perConversation: WindowLimit[];
  /**
   * A granted request that wakes later than this after its slot (a stalled event loop, a slow
   * answer from the database) gives the slot up and takes a new one: late grants would bunch up
   * with the next instances' on-time ones.
   */
  maxLateMs?: number;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_MAX_LATE_MS = 30;

const defaultSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * Paces Bot Connector requests so that the Teams ceiling (per app per tenant) holds across every
 * instance, not per instance: each request takes a slot from one row in PostgreSQL (GCRA in one
 * statement: `next_at = greatest(next_at, now) + 1/rate`) and sleeps until it, so all instances
 * together are spaced at the rate, with no burst after an idle spell. A 429 pushes `next_at` past
 * its `Retry-After` for everyone. Per-conversation limits stay in process (a conversation's sends
 * come from the instance that holds its row) in a `RequestPacer`, which also applies a 429 here
 * at once. If the database cannot be asked, the request waits one interval and asks again.
 */
export class SharedRequestPacer implements SendPacer {
  private readonly local: RequestPacer;
  private readonly intervalMs: number;
  private readonly maxLateMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private heldUntil = 0;
  private heldSetAt = 0;
  private lastWarnAt = 0;
  /** Slots used, time spent waiting for them, slots given up for waking late, store failures. */
  readonly stats = { granted: 0, waitedMs: 0, late: 0, storeErrors: 0 };

  constructor(private readonly opts: SharedRequestPacerOptions) {
    this.maxLateMs = opts.maxLateMs ?? DEFAULT_MAX_LATE_MS;
    // Grants land between their slot and `maxLateMs` after it, plus as much again on the way to
    // the service (the `sending` write, the request): slots are spaced so that even then no
    // 1 s window holds more than `perSecond`: (1000 + 2 × maxLate) / (perSecond − 1).
    this.intervalMs = (1000 + 2 * this.maxLateMs) / Math.max(1, opts.perSecond - 1);
    this.local = new RequestPacer({ perSecond: opts.perSecond, perConversation: opts.perConversation });
    this.sleep = opts.sleep ?? defaultSleep;
  }

  /** The rate the instances together are spaced at (requests per second). */
  get spacedPerSecond(): number {
    return 1000 / this.intervalMs;
  }

  async acquire(conversationId: string | null): Promise<void> {
    await this.local.acquire(conversationId);
    for (;;) {
      const askedAt = Date.now();
      let wait: number;
      try {
        wait = await this.opts.rate.reserveSendSlot(this.opts.key, this.intervalMs);
      } catch (err) {
        this.storeError(err, 'shared pacer: the store did not answer; requests wait and ask again');
        await this.sleep(this.intervalMs);
        continue;
      }
      const remaining = askedAt + wait - Date.now();
      if (remaining > 0) {
        this.stats.waitedMs += remaining;
        await this.sleep(remaining);
      }
      // The slot began no earlier than askedAt + wait (the database measured `wait` after we
      // asked): woken too late, the slot is given up rather than used in a bunch.
      if (Date.now() - (askedAt + wait) > this.maxLateMs) {
        this.stats.late++;
        continue;
      }
      // A 429 seen here while this request slept: its slot is inside the Retry-After; take a
      // new one (the hold pushed the shared next slot past it).
      if (this.heldSetAt >= askedAt && this.heldUntil > Date.now()) continue;
      this.stats.granted++;
      return;
    }
  }

  pauseUntil(until: number): void {
    this.local.pauseUntil(until);
    if (until <= this.heldUntil) return;
    this.heldUntil = until;
    this.heldSetAt = Date.now();
    this.opts.rate.holdSends(this.opts.key, until - Date.now()).catch((err: unknown) => {
      this.storeError(err, 'shared pacer: could not share a Retry-After with the other instances');
    });
  }

  close(): void {
    this.local.close();
  }

  /** Counted every time, logged at most every 10 s (a database outage would repeat it per request). */
  private storeError(err: unknown, msg: string): void {
    this.stats.storeErrors++;
    const now = Date.now();
    if (now - this.lastWarnAt < 10_000) return;
    this.lastWarnAt = now;
    this.opts.logger.warn({ err, storeErrors: this.stats.storeErrors }, msg);
  }
}
