import { UpstreamError } from '../errors';
import type { Logger } from '../log';

export interface ThrottleContext {
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  signal: AbortSignal;
  /** The longest single wait (FLEET_MAX_THROTTLE_WAIT_SECONDS): a longer Retry-After is cut to it. */
  maxWaitMs: number;
  log: Logger;
}

/** A throttle with no Retry-After (the clients normally pass Graph's and Jamf's on). */
const DEFAULT_WAIT_MS = 30_000;
/** The same page throttled this often in a row: the service is not recovering; fail (the build stays resumable). */
const MAX_WAITS_PER_PAGE = 20;

/**
 * Reads one page, pausing on a throttle — `UpstreamError` code `throttled`, once the client's
 * own short retries are spent — for its `Retry-After` and then asking for the SAME page again,
 * so a long throttle costs time but never re-reads finished pages. Any other error, or the
 * signal, ends the read.
 */
export async function readThrottled<T>(
  what: string,
  read: () => Promise<T>,
  ctx: ThrottleContext,
): Promise<T> {
  for (let waits = 0; ; waits++) {
    ctx.signal.throwIfAborted();
    try {
      return await read();
    } catch (e) {
      if (!(e instanceof UpstreamError) || e.code !== 'throttled' || waits >= MAX_WAITS_PER_PAGE) throw e;
      const waitMs = Math.min(e.retryAfterMs ?? DEFAULT_WAIT_MS, ctx.maxWaitMs);
      ctx.log.warn(
        { service: e.service, request: e.request, what, retryAfterMs: e.retryAfterMs, waitMs },
        'fleet sync throttled: pausing, then asking for the same page again',
      );
      await ctx.sleep(waitMs, ctx.signal);
    }
  }
}
