import { RateLimiterRes } from 'rate-limiter-flexible';
import { memoryRateLimiters, type RateLimiters } from '../store/rateLimiters';

/** `ok`: go ahead; `slow-down`: the first refusal in this window (say so once); `quiet`: refused again. */
export type RateDecision = { verdict: 'ok' } | { verdict: 'slow-down' | 'quiet'; retryAfterSeconds: number };

export interface UserRateLimit {
  take(userKey: string): Promise<RateDecision>;
}

/**
 * At most `commands` per user per `windowSeconds`: each command can fan out into many Jamf and
 * Graph requests, and Jamf asks for about five at a time. Counted where `limiters` counts: in
 * memory for one process, in the database several instances share (src/store/rateLimiters.ts),
 * so a user's commands spread over instances are limited once. The "slow down" answer is sent
 * once per window; further messages in it are dropped quietly, so a flood does not turn into a
 * flood of replies.
 */
export function createUserRateLimit(opts: {
  commands: number;
  windowSeconds: number;
  limiters?: RateLimiters;
  /** Which limit: each name counts apart (default `commands`). */
  name?: string;
}): UserRateLimit {
  const limiter = (opts.limiters ?? memoryRateLimiters)({
    name: opts.name ?? 'commands',
    points: opts.commands,
    durationSeconds: opts.windowSeconds,
  });
  return {
    async take(userKey) {
      try {
        await limiter.consume(userKey);
        return { verdict: 'ok' };
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e;
        const retryAfterSeconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        return {
          verdict: e.consumedPoints === opts.commands + 1 ? 'slow-down' : 'quiet',
          retryAfterSeconds,
        };
      }
    },
  };
}
