import type { HelpCardModel } from '../cards/cardModels';
import { renderCard } from '../cards/renderCard';
import type { Command, ConversationScope } from './commandTypes';
import type { CommandRegistry } from './commandRegistry';

/** The help card's view model: the commands this caller may run, each with an example. */
export function helpCardModel(
  registry: Pick<CommandRegistry, 'visibleTo'>,
  isAdmin: boolean,
  scope: ConversationScope,
): HelpCardModel {
  const commands = registry.visibleTo(isAdmin).map((c) => ({
    usage: c.usage,
    summary: c.summary,
    example: c.examples[0] ?? '',
  }));
  return {
    title: isAdmin ? 'What I can do for you' : 'How I can help',
    intro: isAdmin
      ? 'I check Macs in Jamf Pro and Entra ID, watch the Intune connector, and help your users get compliant.'
      : 'I help you get your Mac registered and compliant, so you can keep using Microsoft 365.',
    roleLabel: isAdmin ? 'IT admin' : '',
    commands,
    footer: scope === 'personal' ? '' : 'In a channel, @mention me before the command.',
  };
}

export interface HelpDeps {
  /** The registry the command is in (built after the commands, hence a getter). */
  registry: () => Pick<CommandRegistry, 'visibleTo'>;
}

/** `help`: a card of the commands this caller may run, with examples. */
export function helpCommand(deps: HelpDeps): Command {
  return {
    name: 'help',
    aliases: ['?', 'commands', 'menu', 'what can you do'],
    audience: 'everyone',
    summary: 'Shows what you can ask me.',
    usage: 'help',
    examples: [],
    async run(ctx) {
      const model = helpCardModel(deps.registry(), ctx.caller.isAdmin, ctx.conversation.scope);
      await ctx.reply({ card: renderCard('help', model) });
    },
  };
}
