import type { ReplyContent } from '../../commands/commandTypes';
import { UpstreamError } from '../../errors';
import type { PendingUpstreams } from '../../upstream/pendingUpstreams';
import type { Step } from './runChain';
import type { AnyTurn, ReplyHelpers } from './turn';

/** Teams waits 15 s for a turn; the answer (or the error card) must be sent before that. */
export const DEFAULT_DEADLINE_MS = 12_000;

/** A command that missed its deadline, with the service it was waiting on (when it was waiting on one). */
export class DeadlineExceeded extends Error {
  constructor(readonly waitingOn: UpstreamError['service'] | null) {
    super('the command did not finish in time');
  }
}

/** Did the turn fail because its command missed the deadline (as thrown by the deadline step)? */
export function missedDeadline(e: unknown): boolean {
  return e instanceof DeadlineExceeded || (e instanceof Error && e.cause instanceof DeadlineExceeded);
}

export interface DeadlineDeps {
  /** A command still running after this long is answered with the error card (default 12 s). */
  deadlineMs?: number;
  /** Open upstream requests: which service a command that missed its deadline waits on. */
  upstreams?: Pick<PendingUpstreams, 'slowest'>;
}

/**
 * Runs the rest of the turn (the command) under the turn's deadline. The reply helpers go quiet
 * once it has passed (the error card is sent instead), and a late failure is logged, never left
 * unhandled. A miss is thrown as the service that did not answer in time, for the error card.
 */
export function deadline(deps: DeadlineDeps): Step<AnyTurn> {
  const limitMs = deps.deadlineMs ?? DEFAULT_DEADLINE_MS;
  return async (turn, next) => {
    // Counted from the start of the turn: the admin check and the rate limit used some of it.
    const remaining = limitMs - (Date.now() - turn.startedAt);
    let expired = false;
    turn.replies = quietAfter(turn.replies, () => expired, turn.log);
    const running = next();
    running.catch((err: unknown) => {
      if (expired) turn.log.warn({ err }, 'the command failed after its deadline');
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          expired = true;
          reject(new DeadlineExceeded(deps.upstreams?.slowest(turn.startedAt) ?? null));
        },
        Math.max(1_000, remaining),
      );
    });
    try {
      await Promise.race([running, timeout]);
    } catch (e) {
      throw e instanceof DeadlineExceeded ? shownAs(e, limitMs) : e;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Reply helpers that drop (and log) what is sent once `expired()`. */
function quietAfter(helpers: ReplyHelpers, expired: () => boolean, log: AnyTurn['log']): ReplyHelpers {
  return {
    reply: async (content: ReplyContent) => {
      if (!expired()) return helpers.reply(content);
      log.warn('a reply after the deadline was dropped');
      return undefined;
    },
    update: async (activityId: string, content: ReplyContent) => {
      if (!expired()) return helpers.update(activityId, content);
      log.warn('an update after the deadline was dropped');
    },
  };
}

/** The deadline's error as the error card shows it: the service that did not answer in time. */
function shownAs(e: DeadlineExceeded, limitMs: number): Error {
  const seconds = Math.round(limitMs / 1000);
  if (e.waitingOn)
    return new UpstreamError(e.waitingOn, 'timeout', `No answer within ${seconds} s`, { cause: e });
  return e;
}
