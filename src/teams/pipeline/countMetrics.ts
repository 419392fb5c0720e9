import { missedDeadline } from './deadline';
import type { Step } from './runChain';
import type { AnyTurn } from './turn';

/**
 * Counts how a routed command ended: `ok` when it ran and no step counted a refusal, `timeout`
 * when it missed the deadline, `error` when any step threw. Refusals are counted by the step that
 * refuses, before it answers. Sits inside the error sink, so the count comes before the error card.
 */
export const countMetrics: Step<AnyTurn> = async (turn, next) => {
  try {
    await next();
  } catch (e) {
    turn.count(missedDeadline(e) ? 'timeout' : 'error');
    throw e;
  }
  if (turn.handler && turn.outcome === null) turn.count('ok');
};
