import type { TurnContext } from 'botbuilder';
import type { Logger } from '../../log';

/** The logger for one activity: every line names the activity, its type and its conversation. */
export function turnLogger(logger: Logger, context: TurnContext): Logger {
  const a = context.activity;
  return logger.child({
    activityId: a.id,
    type: a.type,
    conversationId: a.conversation?.id,
    ...(a.type === 'invoke' ? { invoke: a.name } : {}),
  });
}
