import { UserInputError } from '../../errors';
import type { Step } from './runChain';
import type { MessageTurn } from './turn';

/** Longest message the bot reads; longer input is refused politely, not processed. */
export const MAX_TEXT = 2_000;

/** Refuses an overlong message with the error card (after the rate limit, so a flood of them stays quiet). */
export const rejectLongText: Step<MessageTurn> = async (turn, next) => {
  const { text } = turn;
  if (text.length > MAX_TEXT) {
    throw new UserInputError(
      `That message is ${text.length.toLocaleString('en-US')} characters long; I read up to ${MAX_TEXT.toLocaleString('en-US')}.`,
      'Send just the command, e.g. **check device C02X1234**.',
    );
  }
  await next();
};
