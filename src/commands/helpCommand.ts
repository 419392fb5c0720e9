import type { HelpCardModel } from '../cards/cardModels';
import { endUserMenuModel } from '../cards/endUserMenuModel';
import { translatorFor } from '../cards/i18n/translator';
import { renderCard } from '../cards/renderCard';
import type { Command, ConversationScope } from './commandTypes';
import type { CommandRegistry } from './commandRegistry';

/**
 * Does an example run as it is, anywhere? Only when it is the command's bare name (or an alias):
 * `rollout`, `connector status`. One naming something (`check device C02DEMO0004`, `campaign
 * c-7f3a9e21`) would fail outside the demo: it is shown as text to adapt, not as a button.
 */
function runsAsIs(command: Pick<Command, 'name' | 'aliases'>, example: string): boolean {
  const e = example.trim().toLowerCase();
  return [command.name, ...(command.aliases ?? [])].some((n) => n.toLowerCase() === e);
}

/** The help card's view model: the commands this caller may run, each with an example. */
export function helpCardModel(
  registry: Pick<CommandRegistry, 'visibleTo'>,
  isAdmin: boolean,
  scope: ConversationScope,
): HelpCardModel {
  const commands = registry.visibleTo(isAdmin).map((c) => {
    const example = c.examples[0] ?? '';
    const runnable = example !== '' && runsAsIs(c, example);
    return {
      usage: c.usage,
      summary: c.summary,
      example,
      runnable,
      tryExample: example && !runnable ? `Try: \`${example}\`` : '',
    };
  });
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

/**
 * `help`: for an admin, a card of the commands they may run, with examples; for an end user,
 * the end-user menu in their language (what they can ask, as buttons) — the same card unknown
 * text gets, so `help` and `menu` are never English-only for them.
 */
export function helpCommand(deps: HelpDeps): Command {
  return {
    name: 'help',
    aliases: ['?', 'commands', 'menu', 'what can you do'],
    audience: 'everyone',
    summary: 'Shows what you can ask me.',
    usage: 'help',
    examples: [],
    async run(ctx) {
      if (!ctx.caller.isAdmin) {
        await ctx.reply({
          card: renderCard('endUserMenu', endUserMenuModel(null, translatorFor(ctx.caller))),
        });
        return;
      }
      const model = helpCardModel(deps.registry(), ctx.caller.isAdmin, ctx.conversation.scope);
      await ctx.reply({ card: renderCard('help', model) });
    },
  };
}
