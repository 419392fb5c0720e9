import type { UpstreamService } from '../errors';
import type { UpstreamObserver } from './upstreamObserver';

/**
 * The upstream requests open right now, process-wide, so that a command that misses its deadline
 * can name the service it is most likely stuck on: the one whose oldest open request (started
 * during that turn) has waited longest. When a service hangs or crawls, its requests are the
 * long-open ones, whichever turn sent them. (A per-turn AsyncLocalStorage would attribute
 * exactly, but needs its context carried through p-limit's queue and costs ~4% CPU per command
 * in the load bench for little gain.)
 */
export class PendingUpstreams {
  private readonly open = new Map<number, { service: UpstreamService; since: number }>();
  private seq = 0;

  constructor(private readonly now: () => number = Date.now) {}

  readonly observer: UpstreamObserver = {
    start: (service) => {
      const id = ++this.seq;
      this.open.set(id, { service, since: this.now() });
      return () => this.open.delete(id);
    },
  };

  /** The service with the longest-open request started at or after `since`; null when none is open. */
  slowest(since: number): UpstreamService | null {
    let best: { service: UpstreamService; since: number } | null = null;
    for (const r of this.open.values()) {
      if (r.since >= since && (best === null || r.since < best.since)) best = r;
    }
    return best?.service ?? null;
  }
}
