import { z } from 'zod';
import type { AdaptiveCard } from '../cards/renderCard';
import type { CardAction, CardActionContext, Command, CommandContext } from './commandTypes';

/** An admin command that answers with one live card, and the Refresh button on that card. */
export interface RefreshableCardCommand {
  command: Command;
  refresh: CardAction;
}

/** The help text of such a command and its Refresh button's verb. */
export interface RefreshableCommandSpec {
  name: string;
  aliases?: string[];
  summary: string;
  usage: string;
  examples: string[];
  /** See `Command.menuWhenRoom`. */
  menuWhenRoom?: boolean;
  verb: string;
}

/** Both from how the command answers and how Refresh (`verb`, no data) answers with the card that replaces the pressed one. */
export function refreshableCommand(
  spec: RefreshableCommandSpec & {
    run: (ctx: CommandContext) => Promise<void>;
    refresh: (ctx: CardActionContext) => Promise<AdaptiveCard>;
  },
): RefreshableCardCommand {
  const { verb, run, refresh, ...help } = spec;
  return {
    command: { ...help, audience: 'admin', run },
    refresh: {
      verb,
      audience: 'admin',
      // The Refresh button carries no data; anything else in it is ignored.
      schema: z.object({}),
      run: async (ctx) => ({ card: await refresh(ctx) }),
    },
  };
}

/**
 * Builds both from the card: the command posts it, Refresh reads everything again and replaces
 * the card in place (`fresh`: no cached figures).
 */
export function refreshableCardCommand(
  spec: RefreshableCommandSpec & { card: (now: Date, opts: { fresh: boolean }) => Promise<AdaptiveCard> },
): RefreshableCardCommand {
  const { card, ...rest } = spec;
  return refreshableCommand({
    ...rest,
    run: async (ctx) => {
      await ctx.reply({ card: await card(ctx.now(), { fresh: false }) });
    },
    refresh: (ctx) => card(ctx.now(), { fresh: true }),
  });
}
