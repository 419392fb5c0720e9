import type { ReplyContent } from '../../commands/commandTypes';
import type { Step } from './runChain';
import type { Turn } from './turn';

/** A command still working after this long shows Teams' typing indicator. */
export const TYPING_AFTER_MS = 1_000;

/**
 * Shows "…is typing" once when a typed command takes longer than `afterMs` (a fast answer shows
 * none: the indicator would only flicker). The command's replies wait for the indicator to be
 * sent, so it always comes before the answer. A button press is answered by its invoke
 * response, where Teams shows its own progress, so it gets none.
 */
export function typingIndicator(afterMs = TYPING_AFTER_MS): Step<Turn> {
  return async (turn, next) => {
    if (turn.kind !== 'message') return next();
    let typing: Promise<void> | null = null;
    const timer = setTimeout(() => {
      typing = turn.context.sendActivity({ type: 'typing' }).then(
        () => undefined,
        (err: unknown) => turn.log.warn({ err }, 'could not send the typing indicator'),
      );
    }, afterMs);
    const replies = turn.replies;
    const afterTyping = async (): Promise<void> => {
      clearTimeout(timer);
      if (typing) await typing;
    };
    turn.replies = {
      reply: async (content: ReplyContent) => {
        await afterTyping();
        return replies.reply(content);
      },
      update: async (activityId: string, content: ReplyContent) => {
        await afterTyping();
        return replies.update(activityId, content);
      },
    };
    try {
      await next();
    } finally {
      clearTimeout(timer);
    }
  };
}
