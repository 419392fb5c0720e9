import type { Step } from './runChain';
import type { ActionTurn } from './turn';

/**
 * Checks a button's `data` against its action's schema (after the admin check): a forged or
 * stale payload gets a clear message, and the action gets the parsed data.
 */
export const validatePayload: Step<ActionTurn> = async (turn, next) => {
  const { schema } = turn.matched();
  if (schema) {
    const parsed = schema.safeParse(turn.data);
    if (!parsed.success) {
      // Paths and codes only: the values are whatever the sender put there.
      turn.log.warn(
        {
          verb: turn.verb,
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code })),
        },
        'refused: card action payload does not match its schema',
      );
      turn.count('invalid_payload');
      await turn.answer(
        "That button sent something I can't use — the card may be out of date. Type **help** to start again.",
      );
      return;
    }
    turn.data = parsed.data;
  }
  await next();
};
