import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../log';

/** One limit: at most `points` takes per key per `durationSeconds`; `name` keeps limits apart. */
export interface LimiterSpec {
  name: string;
  points: number;
  durationSeconds: number;
}

/**
 * Where the app's rate limits are counted (rate-limiter-flexible limiters): in this process, or
 * in the database the instances share. The callers (the per-user command limit, the progress
 * cards' pace) do not know which.
 */
export type RateLimiters = (spec: LimiterSpec) => RateLimiterAbstract;

const memoryOptions = (spec: LimiterSpec) => ({
  keyPrefix: spec.name,
  points: spec.points,
  duration: spec.durationSeconds,
});

/** One process (SQLite, tests): each limit in memory. */
export const memoryRateLimiters: RateLimiters = (spec) => new RateLimiterMemory(memoryOptions(spec));

/** What RateLimiterPostgres calls: a `pg` Pool's `query` (named statements included). */
export interface LimiterQueryClient {
  query(q: {
    name?: string;
    text: string;
    values?: unknown[];
    /** `pg`'s own limit for this query: it gives the connection back instead of waiting on. */
    query_timeout?: number;
  }): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/** The table migration 16 creates (src/store/migrations.ts), in RateLimiterPostgres's own layout. */
export const RATE_LIMIT_TABLE = 'rate_limits';

/** A check that waits longer than this for the database is answered in memory instead. */
const DEFAULT_QUERY_TIMEOUT_MS = 2_000;

/** After a failure or a timeout, the database is not asked again for this long (memory counts). */
const DEFAULT_RETRY_AFTER_MS = 5_000;

/** The insurance: it counts in memory, and says when it is used (the database did not answer). */
class FallbackLimiter extends RateLimiterMemory {
  constructor(
    spec: LimiterSpec,
    private readonly onUse: () => void,
  ) {
    super(memoryOptions(spec));
  }

  override consume(
    ...args: Parameters<RateLimiterMemory['consume']>
  ): ReturnType<RateLimiterMemory['consume']> {
    this.onUse();
    return super.consume(...args);
  }
}

/**
 * Several instances on PostgreSQL: each limit counted in the `rate_limits` table, so a user's
 * commands or a campaign's card updates are limited once across all instances. If the database
 * fails or is slow to answer (`queryTimeoutMs`), the limit falls back to this process's count
 * (rate-limiter-flexible's `insuranceLimiter`) — open, never refusing every command — with one
 * warning per outage. A late query is cut by `pg` too (`query_timeout`), so it does not hold a
 * connection of the pool the store shares, and after a failure the database is left alone for
 * `retryAfterMs`, so an outage does not queue a query per command. Expiry times are the instances' own clocks (rate-limiter-flexible's rule):
 * a few seconds of skew shortens or lengthens a window by as much.
 */
export function pgRateLimiters(
  client: LimiterQueryClient,
  logger: Logger,
  opts: { queryTimeoutMs?: number; retryAfterMs?: number } = {},
): RateLimiters {
  const timeoutMs = opts.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const retryAfterMs = opts.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
  let degraded = false;
  let askAgainAt = 0;
  const fellBack = () => {
    if (degraded) return;
    degraded = true;
    logger.warn(
      'shared rate limits: the database did not answer; each instance limits on its own until it does',
    );
  };
  const watched: LimiterQueryClient = {
    async query(q) {
      if (Date.now() < askAgainAt) throw new Error('the database failed just now: counted in memory');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const result = await Promise.race([client.query({ ...q, query_timeout: timeoutMs }), late]);
        if (degraded) {
          degraded = false;
          logger.info('shared rate limits: the database answers again');
        }
        return result;
      } catch (err) {
        askAgainAt = Date.now() + retryAfterMs;
        throw err;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  return (spec) =>
    new RateLimiterPostgres({
      storeClient: watched,
      storeType: 'pool',
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true,
      ...memoryOptions(spec),
      insuranceLimiter: new FallbackLimiter(spec, fellBack),
    });
}
