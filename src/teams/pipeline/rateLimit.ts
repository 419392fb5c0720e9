import { ENGLISH, type Translator } from '../../cards/i18n/translator';
import { renderCard, type AdaptiveCard } from '../../cards/renderCard';
import { readerOf } from './readerOf';
import type { UserRateLimit } from '../userRateLimit';
import type { Step } from './runChain';
import type { AnyTurn } from './turn';

/** The "slow down" notice, sent once per window to a caller over the limit. */
export function rateLimitCard(retryAfterSeconds: number, tr: Translator = ENGLISH): AdaptiveCard {
  return renderCard('notice', {
    style: 'warning',
    title: tr.t('slowDown.title'),
    text: tr.t('slowDown.text', { seconds: retryAfterSeconds }),
  });
}

/**
 * Per-user rate limit; says "slow down" once per window. Further messages in it are dropped
 * quietly; a button pressed then still needs an invoke response, so it gets a short message, as
 * does a compose-box search (whose answer is text only).
 */
export function rateLimit(limit: UserRateLimit): Step<AnyTurn> {
  return async (turn, next) => {
    const caller = turn.identified();
    const decision = await limit.take(caller.aadObjectId ?? caller.teamsUserId);
    if (decision.verdict === 'ok') return next();
    turn.log.warn({ aadObjectId: caller.aadObjectId, verdict: decision.verdict }, 'refused: rate limit');
    turn.count('rate_limited');
    if (turn.kind === 'extension') await turn.answer('Please wait a moment, then search again.');
    else if (decision.verdict === 'slow-down')
      await turn.answer({ card: rateLimitCard(decision.retryAfterSeconds, readerOf(caller)) });
    else if (turn.kind === 'action') await turn.answer('Please wait a moment.');
  };
}
