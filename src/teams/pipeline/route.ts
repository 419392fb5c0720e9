import { endUserMenuModel } from '../../cards/endUserMenuModel';
import { escapeMarkdown } from '../../cards/escapeMarkdown';
import { translatorFor } from '../../cards/i18n/translator';
import { renderCard, type AdaptiveCard } from '../../cards/renderCard';
import type { CommandRegistry } from '../../commands/commandRegistry';
import type { Step } from './runChain';
import type { ActionTurn, MessageTurn, Turn } from './turn';

/**
 * "I didn't catch that", with the closest command this caller may run, and the closest few as
 * buttons that send what was typed with the command's name spelled right ("chek device C02X" →
 * **check device C02X**).
 */
export function unknownCommandCard(registry: CommandRegistry, text: string, isAdmin: boolean): AdaptiveCard {
  const nearest = registry.nearest(text, isAdmin);
  const closest = nearest[0];
  const shown = text.length > 120 ? `${text.slice(0, 120)}…` : text;
  return renderCard('unknownCommand', {
    title: "I didn't catch that",
    understood: `You wrote: ${escapeMarkdown(shown)}`,
    suggestion: closest?.name ?? '',
    suggestionExample: closest ? (closest.examples[0] ?? closest.usage) : '',
    helpHint: 'Type **help** to see everything I can do.',
    buttons: nearest.map((c) => {
      // A command that takes nothing runs as itself; one that takes arguments keeps what was typed.
      const value = c.usage.toLowerCase() === c.name ? c.usage : corrected(text, c.name);
      return { title: value.length > 40 ? `${value.slice(0, 39)}…` : value, value };
    }),
  });
}

/** What was typed with its first words replaced by the command's name (as many words as it has). */
function corrected(text: string, name: string): string {
  const rest = text.trim().split(/\s+/).slice(name.split(' ').length).join(' ').slice(0, 200);
  return rest ? `${name} ${rest}` : name;
}

/** Finds the command a message asks for, or the card action a button's verb names; answers when there is none. */
export function route(registry: CommandRegistry): Step<Turn> {
  return async (turn, next) => {
    const routed =
      turn.kind === 'message' ? await routeMessage(registry, turn) : await routeAction(registry, turn);
    if (routed) await next();
  };
}

async function routeMessage(registry: CommandRegistry, turn: MessageTurn): Promise<boolean> {
  const caller = turn.identified();
  const { text } = turn;
  const match = registry.match(text);
  if (!match) {
    turn.log.info({ command: null }, 'message did not match a command');
    turn.count('unknown_command');
    // Admins get "did you mean"; end users in 1:1 the menu of what the bot can help them with
    // (its buttons send words back, which only reach the bot in a 1:1 chat).
    await turn.answer({
      card:
        caller.isAdmin || turn.conversation.scope !== 'personal'
          ? unknownCommandCard(registry, text, caller.isAdmin)
          : renderCard('endUserMenu', endUserMenuModel(text, translatorFor(caller))),
    });
    return false;
  }
  if (match.intent && caller.isAdmin) {
    // An admin's typo of an admin command ("conector status") stays a typo with a suggestion,
    // as before free text was understood; only clearly other text goes to the intent.
    const near = registry.closest(text, true, 0.2);
    if (near && near.audience === 'admin') {
      turn.log.info({ command: null, near: near.name }, 'close to an admin command: suggesting it');
      await turn.answer({ card: unknownCommandCard(registry, text, true) });
      return false;
    }
  }
  turn.match = match;
  turn.handler = { name: match.command.name, audience: match.command.audience };
  return true;
}

async function routeAction(registry: CommandRegistry, turn: ActionTurn): Promise<boolean> {
  const action = registry.action(turn.verb);
  if (!action) {
    turn.log.warn({ verb: turn.verb.slice(0, 100) }, 'card action with an unknown verb');
    turn.count('unknown_command');
    await turn.answer('That button no longer does anything. Type **help** to start again.');
    return false;
  }
  turn.action = action;
  turn.handler = { name: action.verb, audience: action.audience };
  return true;
}
