/**
 * What the dispatcher paces its Bot Connector requests with: `RequestPacer` in one process,
 * `SharedRequestPacer` across the instances sharing a PostgreSQL database.
 */
export interface SendPacer {
  /** Resolves when a request to `conversationId` (null: a create) may go. */
  acquire(conversationId: string | null): Promise<void>;
  /** The service said 429: nothing goes before `until` (epoch ms). */
  pauseUntil(until: number): void;
  close(): void;
}

/** A sliding-window limit: at most `limit` requests in any `windowMs`. */
export interface WindowLimit {
  limit: number;
  windowMs: number;
}

export interface RequestPacerOptions {
  /** Requests per second per app (Teams: 50 per app per tenant). */
  perSecond: number;
  /** Per-conversation limits (Teams: 7/1 s, 8/2 s, 60/30 s, 1800/3600 s). */
  perConversation: WindowLimit[];
  /**
   * Share of `perSecond` the pacer spaces requests at. Below 1 so that network jitter between
   * our clock and the service's never puts one request too many in the service's window.
   */
  spacingShare?: number;
  now?: () => number;
}

/**
 * 97 %: loopback measurements on a loaded machine showed the time from grant to arrival at
 * p50 2 ms but p99 ~60 ms (event-loop stalls); at 98 % a stalled request landed in the next
 * second often enough to draw a 429, and each 429 holds every send for a whole `Retry-After`.
 */
export const DEFAULT_SPACING_SHARE = 0.97;

/** Recent grant times, oldest first. */
class GrantLog {
  private readonly times: number[] = [];
  constructor(private readonly keepMs: number) {}
  /** When one more grant fits every window (now when it fits already). */
  freeAt(now: number, windows: readonly WindowLimit[]): number {
    while (this.times.length > 0 && this.times[0]! <= now - this.keepMs) this.times.shift();
    let at = now;
    for (const w of windows) {
      let inside = 0;
      for (let i = this.times.length - 1; i >= 0 && this.times[i]! > now - w.windowMs; i--) inside++;
      if (inside >= w.limit) at = Math.max(at, this.times[this.times.length - w.limit]! + w.windowMs);
    }
    return at;
  }
  add(t: number): void {
    this.times.push(t);
  }
  get size(): number {
    return this.times.length;
  }
}

/**
 * Paces requests to the Bot Connector below Teams' ceilings: evenly spaced at the app's rate
 * (so the service never sees a burst), never more than the limit in any sliding window per app
 * and per conversation, and not at all while a `Retry-After` holds. Waiters are served in
 * arrival order by one timer. Our own small limiter rather than `rate-limiter-flexible`: its
 * fixed windows allow twice the rate across a window boundary, which a sliding-window service
 * answers with 429s.
 */
export class RequestPacer implements SendPacer {
  private readonly interval: number;
  private readonly app: GrantLog;
  private readonly appWindows: WindowLimit[];
  private readonly conversations = new Map<string, GrantLog>();
  private readonly keepMs: number;
  private readonly queue: { key: string | null; resolve: () => void }[] = [];
  private nextSlot = 0;
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  /** Requests granted, and how long the pacer was held by `Retry-After` in total. */
  readonly stats = { granted: 0, pausedMs: 0 };

  constructor(private readonly opts: RequestPacerOptions) {
    this.now = opts.now ?? Date.now;
    const share = opts.spacingShare ?? DEFAULT_SPACING_SHARE;
    this.interval = 1000 / (opts.perSecond * share);
    // The window keeps the same share, so a late request never makes the service's count exceed.
    this.appWindows = [{ limit: Math.max(1, Math.floor(opts.perSecond * share)), windowMs: 1000 }];
    this.app = new GrantLog(1000);
    this.keepMs = Math.max(1000, ...opts.perConversation.map((w) => w.windowMs));
  }

  /** Resolves when a request to `conversationId` (null: no conversation yet, e.g. a create) may go. */
  acquire(conversationId: string | null): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ key: conversationId, resolve });
      this.pump();
    });
  }

  /** The service said 429: nothing goes before `until` (epoch ms). */
  pauseUntil(until: number): void {
    if (until > this.pausedUntil) {
      this.stats.pausedMs += until - Math.max(this.pausedUntil, this.now());
      this.pausedUntil = until;
    }
  }

  /** Waiters not yet served. */
  get waiting(): number {
    return this.queue.length;
  }

  private conversation(key: string): GrantLog {
    let log = this.conversations.get(key);
    if (!log) {
      if (this.conversations.size > 20_000) {
        const now = this.now();
        for (const [k, l] of this.conversations)
          if (l.freeAt(now, []) && l.size === 0) this.conversations.delete(k);
      }
      log = new GrantLog(this.keepMs);
      this.conversations.set(key, log);
    }
    return log;
  }

  private pump(): void {
    if (this.timer) return;
    for (;;) {
      const head = this.queue[0];
      if (!head) return;
      const now = this.now();
      const conv = head.key === null ? null : this.conversation(head.key);
      const at = Math.max(
        now,
        this.pausedUntil,
        this.nextSlot,
        this.app.freeAt(now, this.appWindows),
        conv ? conv.freeAt(now, this.opts.perConversation) : now,
      );
      if (at > now) {
        this.timer = setTimeout(
          () => {
            this.timer = null;
            this.pump();
          },
          Math.ceil(at - now),
        );
        return;
      }
      this.queue.shift();
      // Catch up at most one slot after a late timer; the sliding window bounds any burst.
      this.nextSlot = Math.max(this.nextSlot, now - this.interval) + this.interval;
      this.app.add(now);
      conv?.add(now);
      this.stats.granted++;
      head.resolve();
    }
  }

  /** Stops the timer (waiters stay unresolved; call only when nothing waits any more). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
