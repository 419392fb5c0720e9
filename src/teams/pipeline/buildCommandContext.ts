import type { CardActionContext, CommandContext } from '../../commands/commandTypes';
import type { ActionTurn, MessageTurn } from './turn';

/** What every handler's context carries besides the turn. */
export interface HandlerDeps {
  now: () => Date;
}

/**
 * The one place a command's (or card action's) context is assembled from its turn: the caller,
 * where, the reply helpers (deadline-guarded by then), and what was typed or pressed.
 */
export function buildCommandContext(turn: MessageTurn, deps: HandlerDeps): CommandContext;
export function buildCommandContext(turn: ActionTurn, deps: HandlerDeps): CardActionContext;
export function buildCommandContext(
  turn: MessageTurn | ActionTurn,
  deps: HandlerDeps,
): CommandContext | CardActionContext {
  const shared = {
    ...turn.replies,
    caller: turn.identified(),
    conversation: turn.conversation,
    log: turn.log,
    now: () => deps.now(),
  };
  if (turn.kind === 'action')
    return {
      ...shared,
      verb: turn.verb,
      data: turn.data,
      cardActivityId: turn.context.activity.replyToId ?? null,
      trigger: turn.trigger,
    };
  const match = turn.matched();
  return {
    ...shared,
    text: turn.text,
    args: match.args,
    invokedAs: match.invokedAs,
    intent: match.intent ?? null,
  };
}
