import type { CommandRegistry } from '../../commands/commandRegistry';
import type { RateLimiters } from '../../store/rateLimiters';
import type { AccessPolicy } from '../accessPolicy';
import { createUserRateLimit } from '../userRateLimit';
import { authorize, type AuthorizeDeps } from './authorize';
import type { HandlerDeps } from './buildCommandContext';
import { countMetrics } from './countMetrics';
import { deadline, type DeadlineDeps } from './deadline';
import { errorSink } from './errorSink';
import { identifyCaller } from './identifyCaller';
import { rateLimit } from './rateLimit';
import { rejectLongText } from './rejectLongText';
import { route } from './route';
import type { Step } from './runChain';
import { runHandler } from './runHandler';
import { skipEmptyText } from './skipEmptyText';
import type { ActionTurn, MessageTurn } from './turn';
import { typingIndicator } from './typingIndicator';
import { validatePayload } from './validatePayload';

export interface PipelineDeps extends AuthorizeDeps, DeadlineDeps, HandlerDeps {
  registry: CommandRegistry;
  access: AccessPolicy;
  /**
   * Commands per user per window (default: 20 a minute), shared by messages and buttons; counted
   * by `limiters` (in memory by default, in the shared database on PostgreSQL).
   */
  rateLimit?: { commands: number; windowSeconds: number; limiters?: RateLimiters };
  /** A command still running after this long shows the typing indicator (default 1 s). */
  typingAfterMs?: number;
}

/**
 * Teams' automatic card refreshes per user per minute: counted apart from the commands, since
 * the user did not ask for them (opening a busy channel refreshes every device card in view),
 * yet limited, since anyone can send them.
 */
export const AUTOMATIC_REFRESHES_PER_MINUTE = 120;

/**
 * The steps a message and a card action go through, in order. Both share every step but a few;
 * the order differs in one place: a message is rate-limited before it is routed (a flood of
 * nonsense is limited too), a button after its verb is found (an unknown verb is answered, not
 * counted against the caller).
 */
export function turnPipelines(deps: PipelineDeps): {
  message: Step<MessageTurn>[];
  action: Step<ActionTurn>[];
} {
  const commands = deps.rateLimit ?? { commands: 20, windowSeconds: 60 };
  const limit = rateLimit(createUserRateLimit(commands));
  const refreshes = rateLimit(
    createUserRateLimit({
      name: 'automatic-refreshes',
      commands: AUTOMATIC_REFRESHES_PER_MINUTE,
      windowSeconds: 60,
      limiters: commands.limiters,
    }),
  );
  /** A button press uses the caller's command budget; a refresh Teams sends unasked has its own. */
  const limitAction: Step<ActionTurn> = (turn, next) =>
    turn.trigger === 'automatic' ? refreshes(turn, next) : limit(turn, next);
  const identify = identifyCaller(deps.access);
  const routeTurn = route(deps.registry);
  const checkAdmin = authorize(deps);
  const underDeadline = deadline(deps);
  const run = runHandler(deps);
  return {
    message: [
      errorSink,
      countMetrics,
      identify,
      skipEmptyText,
      limit,
      rejectLongText,
      routeTurn,
      checkAdmin,
      underDeadline,
      typingIndicator(deps.typingAfterMs, { untilMs: deps.deadlineMs }),
      run,
    ],
    action: [
      errorSink,
      countMetrics,
      identify,
      routeTurn,
      limitAction,
      checkAdmin,
      validatePayload,
      underDeadline,
      run,
    ],
  };
}
