import type { Step } from './runChain';
import type { MessageTurn } from './turn';

/** A message without text (a card submit, a reaction) needs no answer; it is not rate-limited either. */
export const skipEmptyText: Step<MessageTurn> = async (turn, next) => {
  if (turn.text !== '') await next();
};
