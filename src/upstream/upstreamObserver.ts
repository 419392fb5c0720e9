import type { UpstreamService } from '../errors';

/** How one upstream HTTP exchange ended: the HTTP status, or what happened instead. */
export type UpstreamOutcome = number | 'network' | 'timeout';

/**
 * Watches every HTTP exchange the upstream clients make (token requests included). The clients
 * call it in one place each — Graph's injected fetch, Jamf's axios interceptors — so methods
 * added later are observed without doing anything. `start` is called as the request leaves, in
 * the caller's async context; the function it returns when the exchange ends.
 */
export interface UpstreamObserver {
  start(service: UpstreamService): (outcome: UpstreamOutcome) => void;
}

export const NO_UPSTREAM_OBSERVER: UpstreamObserver = { start: () => () => undefined };

/** One observer that tells several. */
export function combineObservers(...observers: UpstreamObserver[]): UpstreamObserver {
  return {
    start(service) {
      const ends = observers.map((o) => o.start(service));
      return (outcome) => {
        for (const end of ends) end(outcome);
      };
    },
  };
}

/** A failure that says the service is unwell (not the caller's mistake, like a 404). */
export function isUnhealthyOutcome(outcome: UpstreamOutcome): boolean {
  return typeof outcome !== 'number' || outcome === 429 || outcome >= 500;
}
