import { UpstreamError } from '../errors';

/** How hard a client tries before it gives up with a typed error. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff; doubles each retry, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts once this much time has passed since the first attempt. */
  budgetMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 8_000,
  budgetMs: 12_000,
};

/** Error codes worth another try: the service may answer next time. */
export const RETRYABLE_CODES = new Set(['throttled', 'timeout', 'unavailable']);

export interface RetryHooks {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  onRetry?: (info: { attempt: number; delayMs: number; error: UpstreamError }) => void;
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or the policy runs out.
 * `Retry-After` (carried on the error as `retryAfterMs`) wins over the computed backoff; a wait
 * that would overrun the budget is not started — the last error is thrown instead, so callers
 * always end with a value or a typed error, never a hang.
 */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  hooks: RetryHooks = {},
): Promise<T> {
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = hooks.random ?? Math.random;
  const now = hooks.now ?? Date.now;
  const started = now();
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      if (!(e instanceof UpstreamError) || !RETRYABLE_CODES.has(e.code) || n >= policy.maxAttempts) throw e;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
      const delayMs = e.retryAfterMs !== undefined ? e.retryAfterMs : Math.round(random() * backoff);
      if (now() - started + delayMs > policy.budgetMs) throw e;
      hooks.onRetry?.({ attempt: n, delayMs, error: e });
      await sleep(delayMs);
    }
  }
}

/**
 * Reads a `Retry-After` header: delta-seconds or an HTTP date. Returns milliseconds, or
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Maps an HTTP status to the error code the bot reasons about. */
export function codeForStatus(status: number): UpstreamError['code'] {
  if (status === 429) return 'throttled';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 409 || status === 412) return 'conflict';
  if (status >= 500) return 'unavailable';
  if (status >= 400) return 'bad_request';
  return 'bad_response';
}
