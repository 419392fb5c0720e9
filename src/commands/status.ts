import { renderCard } from '../cards/renderCard';
import { statusCardModel } from '../cards/statusCardModel';
import type { Services } from '../services';
import { adviceContext, callerMacsFor } from './callerAnswers';
import { z } from 'zod';
import type { CardAction, Command } from './commandTypes';

/**
 * `status` (and "am I compliant?", "my mac", "check my device", …): the caller's own Macs with a
 * plain verdict and the steps to fix each. Whatever follows `status` is never looked up — the
 * caller is who Teams says they are — and the card says it was ignored.
 */
export const statusCommand: Command<Services> = {
  name: 'status',
  aliases: ['my status'],
  audience: 'everyone',
  intents: ['status'],
  summary: 'Whether your Mac is compliant, and what to do if it is not.',
  usage: 'status',
  examples: ['status', 'is my Mac OK?'],
  async run(ctx) {
    const now = ctx.now();
    const caller = await callerMacsFor(ctx.caller, ctx.conversation, ctx.services, now);
    const ignored = ctx.args.replace(/^[\s?!.]+|[\s?!.]+$/g, '');
    await ctx.reply({
      card: renderCard(
        'statusCard',
        statusCardModel(caller, {
          ...adviceContext(ctx.services, now),
          ignored: ignored || undefined,
          isAdmin: ctx.caller.isAdmin,
        }),
      ),
    });
  },
};

/**
 * "Check again" (`status.check`): the caller's status card from live data, in place of the card
 * the button is on. Its data is ignored — the reminder cards send it empty — and the caller comes
 * from the activity.
 */
export const statusCheckAction: CardAction<Services> = {
  verb: 'status.check',
  audience: 'everyone',
  // Nothing is read from the data (identity comes from the activity); extra keys are dropped.
  schema: z.object({}),
  async run(ctx) {
    const now = ctx.now();
    const caller = await callerMacsFor(ctx.caller, ctx.conversation, ctx.services, now);
    return { card: renderCard('statusCard', statusCardModel(caller, adviceContext(ctx.services, now))) };
  },
};
