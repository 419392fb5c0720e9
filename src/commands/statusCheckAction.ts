import { z } from 'zod';
import { renderCard } from '../cards/renderCard';
import { statusCardModel } from '../cards/statusCardModel';
import { adviceContext, callerMacsFor, type EndUserDeps } from './callerAnswers';
import type { CardAction } from './commandTypes';

/**
 * "Check again" (`status.check`): the caller's status card from live data, in place of the card
 * the button is on. Its data is ignored — the reminder cards send it empty — and the caller comes
 * from the activity.
 */
export function statusCheckAction(deps: EndUserDeps): CardAction {
  return {
    verb: 'status.check',
    audience: 'everyone',
    // Nothing is read from the data (identity comes from the activity); extra keys are dropped.
    schema: z.object({}),
    async run(ctx) {
      const now = ctx.now();
      const caller = await callerMacsFor(ctx.caller, ctx.conversation, deps, now);
      return { card: renderCard('statusCard', statusCardModel(caller, adviceContext(deps, now))) };
    },
  };
}
