import type { ReplyContent } from '../../commands/commandTypes';
import { DEFAULT_DEADLINE_MS } from './deadline';
import type { Step } from './runChain';
import type { Turn } from './turn';

/** A command still working after this long shows Teams' typing indicator. */
export const TYPING_AFTER_MS = 1_000;
/** Teams shows "…is typing" for about three seconds: sent again this often while the command works. */
export const TYPING_REPEAT_MS = 3_000;

/**
 * Shows "…is typing" when a typed command takes longer than `afterMs` (a fast answer shows none:
 * the indicator would only flicker), and again every `repeatMs` until the first reply — Teams
 * hides it after a few seconds — but not past `untilMs` from the turn's start (the deadline, when
 * the error card answers instead). The command's replies wait for an indicator being sent, so it
 * always comes before the answer. A button press is answered by its invoke response, where Teams
 * shows its own progress, so it gets none.
 */
export function typingIndicator(
  afterMs = TYPING_AFTER_MS,
  opts: { repeatMs?: number; untilMs?: number } = {},
): Step<Turn> {
  const repeatMs = opts.repeatMs ?? TYPING_REPEAT_MS;
  const untilMs = opts.untilMs ?? DEFAULT_DEADLINE_MS;
  return async (turn, next) => {
    if (turn.kind !== 'message') return next();
    let typing: Promise<void> = Promise.resolve();
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const show = (): void => {
      if (stopped || Date.now() - turn.startedAt >= untilMs) return;
      typing = typing
        .then(() => turn.context.sendActivity({ type: 'typing' }))
        .then(
          () => undefined,
          (err: unknown) => turn.log.warn({ err }, 'could not send the typing indicator'),
        );
      timer = setTimeout(show, repeatMs);
    };
    timer = setTimeout(show, afterMs);
    const stop = async (): Promise<void> => {
      stopped = true;
      clearTimeout(timer);
      await typing;
    };
    const replies = turn.replies;
    turn.replies = {
      reply: async (content: ReplyContent) => {
        await stop();
        return replies.reply(content);
      },
      update: async (activityId: string, content: ReplyContent) => {
        await stop();
        return replies.update(activityId, content);
      },
    };
    try {
      await next();
    } finally {
      stopped = true;
      clearTimeout(timer);
    }
  };
}
