import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../log';
import { memoryRateLimiters, type RateLimiters } from '../store/rateLimiters';

export interface ProgressCardPaceOptions {
  /** At most one update of a campaign's card per this many seconds (`PROGRESS_UPDATE_SECONDS`). */
  everySeconds: number;
  /** Where the pace is counted: in memory (one process) or the database the instances share. */
  limiters?: RateLimiters;
  /** Renders the campaign's card from the store and updates it in place. */
  update: (campaignId: string) => Promise<void>;
  logger: Logger;
}

interface Entry {
  /** A retry at the end of the window another update (here or on another instance) used. */
  timer: NodeJS.Timeout | null;
  /** A take or an update is running; changes meanwhile set `again`. */
  busy: boolean;
  again: boolean;
  /** The campaign ended: its last update is queued, nothing paced follows. */
  done: boolean;
  running: Promise<void>;
}

/**
 * Paces a campaign's progress-card updates: one per `everySeconds` per campaign, counted by a
 * rate limiter keyed by the campaign, so instances sharing a PostgreSQL store update the card
 * together at that pace, not each at it. A change that finds the window used waits for its end
 * and asks again, so the last change always shows (the card is rendered from the store, which
 * holds every instance's progress); the end of a campaign is shown at once. A failed update is
 * logged and the pace goes on; a campaign with nothing waiting holds no entry.
 */
export class ProgressCardPace {
  private readonly limiter: RateLimiterAbstract;
  private readonly entries = new Map<string, Entry>();
  private stopped = false;

  constructor(private readonly opts: ProgressCardPaceOptions) {
    this.limiter = (opts.limiters ?? memoryRateLimiters)({
      name: 'progress-card',
      points: 1,
      durationSeconds: opts.everySeconds,
    });
  }

  /** A row of the campaign changed (`done`: the campaign ended). */
  changed(campaignId: string, done: boolean): void {
    if (this.stopped) return;
    let entry = this.entries.get(campaignId);
    if (!entry) {
      entry = { timer: null, busy: false, again: false, done: false, running: Promise.resolve() };
      this.entries.set(campaignId, entry);
    }
    const e = entry;
    if (done) {
      e.done = true;
      if (e.timer) clearTimeout(e.timer);
      e.timer = null;
      e.running = e.running.then(() => this.update(campaignId));
      void e.running.then(() => this.forget(campaignId, e));
      return;
    }
    if (e.done || e.timer) return;
    if (e.busy) {
      e.again = true;
      return;
    }
    this.attempt(campaignId, e);
  }

  /** Drops the pending retries, and no update in flight schedules another (shutdown). */
  stop(): void {
    this.stopped = true;
    for (const e of this.entries.values()) if (e.timer) clearTimeout(e.timer);
    this.entries.clear();
  }

  /** The card's update; a failure is logged, never left to stop the campaign's later updates. */
  private update(campaignId: string): Promise<void> {
    return this.opts.update(campaignId).catch((err: unknown) => {
      this.opts.logger.warn({ err, campaignId }, 'could not update the progress card');
    });
  }

  /**
   * An entry with nothing waiting is dropped: nothing is kept for a campaign that ended on
   * another instance (this one never hears `done` for it); a later change starts a new one.
   */
  private forget(campaignId: string, e: Entry): void {
    if (!e.busy && !e.timer && this.entries.get(campaignId) === e) this.entries.delete(campaignId);
  }

  private attempt(campaignId: string, e: Entry): void {
    e.busy = true;
    e.again = false;
    e.running = e.running
      .then(async () => {
        const waitMs = await this.waitFor(campaignId);
        if (e.done || this.stopped) return;
        if (waitMs > 0) {
          // The retry covers every change until it fires.
          e.again = false;
          e.timer = setTimeout(() => {
            e.timer = null;
            if (!e.done && !this.stopped) this.attempt(campaignId, e);
          }, waitMs);
          e.timer.unref();
          return;
        }
        await this.update(campaignId);
      })
      .catch((err: unknown) => {
        this.opts.logger.warn({ err, campaignId }, 'progress card pace failed');
      })
      .then(() => {
        e.busy = false;
        if (this.stopped) return;
        if (e.again && !e.timer && !e.done) this.attempt(campaignId, e);
        else if (!e.done) this.forget(campaignId, e);
      });
  }

  /** 0 = the window is this update's; else ms until the window ends. */
  private async waitFor(campaignId: string): Promise<number> {
    try {
      await this.limiter.consume(campaignId);
      return 0;
    } catch (err) {
      if (err instanceof RateLimiterRes) return Math.max(1, err.msBeforeNext);
      // Only a store without insurance gets here: an update too many beats a stale card.
      this.opts.logger.warn({ err, campaignId }, 'progress card pace not available; updating anyway');
      return 0;
    }
  }
}
