import { z } from 'zod';
import type { AdaptiveCard } from '../cards/renderCard';
import type { CardAction, Command } from './commandTypes';

/** An admin command that answers with one live card, and the Refresh button on that card. */
export interface RefreshableCardCommand {
  command: Command;
  refresh: CardAction;
}

/**
 * Builds both from the card: the command posts it, Refresh (`verb`, no data) reads everything
 * again and replaces the card in place (`fresh`: no cached figures).
 */
export function refreshableCardCommand(spec: {
  name: string;
  aliases?: string[];
  summary: string;
  usage: string;
  examples: string[];
  verb: string;
  card: (now: Date, opts: { fresh: boolean }) => Promise<AdaptiveCard>;
}): RefreshableCardCommand {
  const { verb, card, ...help } = spec;
  return {
    command: {
      ...help,
      audience: 'admin',
      async run(ctx) {
        await ctx.reply({ card: await card(ctx.now(), { fresh: false }) });
      },
    },
    refresh: {
      verb,
      audience: 'admin',
      // The Refresh button carries no data; anything else in it is ignored.
      schema: z.object({}),
      run: async (ctx) => ({ card: await card(ctx.now(), { fresh: true }) }),
    },
  };
}
