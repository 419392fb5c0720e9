import { StoreUnavailableError, type StoreUnavailableReason } from '../errors';
import type { Logger } from '../log';

const SETTLE_MS = 1000;

export type StoreHealthState = 'ok' | StoreUnavailableReason;

export interface StoreHealthOptions {
  logger: Logger;
  /**
   * How long a failed call keeps the store "not ready" after the probe passes again. A probe
   * that rolls back never writes to disk, so it cannot see a disk that is really full: the
   * failures of real writes can. Default 15 s.
   */
  holdMs?: number;
  now?: () => number;
}

/**
 * The database's health as `/readyz` reports it: the probe's answer (`probe`, asked by
 * readiness) joined with what real calls met (`failed`/`succeeded`, told by `guardStore`). Logs
 * one line when the database becomes unavailable and one when it is back — not one per call.
 */
export class StoreHealth {
  private failure: { reason: StoreUnavailableReason; at: number } | null = null;
  private readonly holdMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: StoreHealthOptions) {
    this.holdMs = opts.holdMs ?? 15_000;
    this.now = opts.now ?? Date.now;
  }

  failed(e: StoreUnavailableError): void {
    if (!this.failure || this.failure.reason !== e.reason) {
      this.opts.logger.error(
        { reason: e.reason, err: e.message },
        `database unavailable (${e.reason}): commands answer with the database card, campaigns and jobs wait until it is back`,
      );
    }
    this.failure = { reason: e.reason, at: this.now() };
  }

  /**
   * A call went through: the connection works (a read says nothing about a full or read-only
   * file). Only a second after the last failure: calls already under way when the server went
   * away still answer for a moment.
   */
  succeeded(): void {
    if (this.failure?.reason === 'unreachable' && this.now() - this.failure.at >= SETTLE_MS) this.recovered();
  }

  /** Readiness: the probe's outcome (null: it passed), then the hold after a real failure. */
  state(probeFailure: StoreUnavailableError | null): StoreHealthState {
    if (probeFailure) {
      this.failed(probeFailure);
      return probeFailure.reason;
    }
    if (!this.failure) return 'ok';
    // A probe that connected settles "unreachable" at once; a full or read-only file waits out the hold.
    if (this.failure.reason !== 'unreachable' && this.now() - this.failure.at < this.holdMs)
      return this.failure.reason;
    this.recovered();
    return 'ok';
  }

  private recovered(): void {
    this.opts.logger.info({ after: this.failure?.reason }, 'database available again');
    this.failure = null;
  }
}
