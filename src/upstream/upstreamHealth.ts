import type { UpstreamService } from '../errors';
import { isUnhealthyOutcome, type UpstreamObserver } from './upstreamObserver';

export type UpstreamHealthState = 'ok' | 'failing' | 'unknown';

export interface UpstreamHealthOptions {
  /** Outcomes older than this are forgotten (a failing service with no traffic becomes unknown). */
  windowMs?: number;
  /** This many failures in a row, the latest inside the window, make a service failing. */
  failuresInARow?: number;
  now?: () => number;
}

/**
 * Upstream health from the outcomes of the calls the bot makes anyway — so `/readyz` never calls
 * Graph or Jamf itself (a probe every few seconds would add load exactly when they struggle).
 * A service is failing after N unhealthy outcomes in a row (5xx, 429, timeouts, resets), ok again
 * after one healthy answer, and unknown when it has not been called within the window.
 */
export class UpstreamHealth {
  private readonly windowMs: number;
  private readonly threshold: number;
  private readonly now: () => number;
  private readonly state = new Map<UpstreamService, { failuresInARow: number; at: number }>();

  constructor(opts: UpstreamHealthOptions = {}) {
    this.windowMs = opts.windowMs ?? 60_000;
    this.threshold = opts.failuresInARow ?? 3;
    this.now = opts.now ?? Date.now;
  }

  readonly observer: UpstreamObserver = {
    start: (service) => (outcome) => {
      const prev = this.state.get(service);
      const failed = isUnhealthyOutcome(outcome);
      this.state.set(service, {
        failuresInARow: failed ? (prev?.failuresInARow ?? 0) + 1 : 0,
        at: this.now(),
      });
    },
  };

  of(service: UpstreamService): UpstreamHealthState {
    const s = this.state.get(service);
    if (!s || this.now() - s.at > this.windowMs) return 'unknown';
    return s.failuresInARow >= this.threshold ? 'failing' : 'ok';
  }
}
