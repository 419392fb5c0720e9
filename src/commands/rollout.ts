import { z } from 'zod';
import type { Services } from '../services';
import type { CardAction, Command } from './commandTypes';
import { rolloutCard } from './rolloutAnswer';

/** `rollout`: fleet counts by verdict, % compliant, top reasons and the trend over days. */
export const rolloutCommand: Command<Services> = {
  name: 'rollout',
  aliases: ['rollout status'],
  audience: 'admin',
  summary: 'How far the rollout is: Macs by state, % compliant, top reasons and the trend.',
  usage: 'rollout',
  examples: ['rollout'],
  async run(ctx) {
    await ctx.reply({ card: await rolloutCard(ctx.services, ctx.now()) });
  },
};

/** "Refresh" on the rollout card: today's snapshot again from live data, the card in place. */
export const rolloutRefreshAction: CardAction<Services> = {
  verb: 'rollout.refresh',
  audience: 'admin',
  // The Refresh button carries no data; anything else in it is ignored.
  schema: z.object({}),
  async run(ctx) {
    return { card: await rolloutCard(ctx.services, ctx.now(), { fresh: true }) };
  },
};
