import { distance } from 'fastest-levenshtein';
import type { CardAction, Command } from './commandTypes';

/** A command found in a message, with what followed its name. */
export interface CommandMatch {
  command: Command;
  invokedAs: string;
  args: string;
  /** Set when the command was found by intent, not by name. */
  intent?: string;
}

/** Collapses whitespace and smart quotes so "Check   Device" and "check device" read the same. */
export function normalizeText(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The bot's commands and card actions. A message matches the longest name or alias it starts
 * with, on a word boundary, ignoring case ("check device C02X" → `check device`, args "C02X").
 */
export class CommandRegistry {
  private readonly names: { key: string; command: Command }[] = [];
  private readonly actions = new Map<string, CardAction>();
  private readonly byIntent = new Map<string, Command>();

  /**
   * `intentOf` recognises free text ("is my Mac OK?") when no command name matches; commands
   * declare the intents they answer.
   */
  constructor(
    readonly commands: Command[],
    actions: CardAction[] = [],
    private readonly intentOf: (text: string) => string | null = () => null,
  ) {
    for (const command of commands) {
      for (const key of [command.name, ...(command.aliases ?? [])]) {
        const k = key.toLowerCase();
        if (this.names.some((n) => n.key === k)) throw new Error(`Two commands are called "${key}"`);
        this.names.push({ key: k, command });
      }
    }
    this.names.sort((a, b) => b.key.length - a.key.length);
    for (const command of commands) {
      for (const intent of command.intents ?? []) {
        if (this.byIntent.has(intent)) throw new Error(`Two commands answer the intent "${intent}"`);
        this.byIntent.set(intent, command);
      }
    }
    for (const a of actions) {
      if (this.actions.has(a.verb)) throw new Error(`Two card actions have the verb "${a.verb}"`);
      this.actions.set(a.verb, a);
    }
  }

  /** The command a message asks for by name, else by intent, or null. */
  match(text: string): CommandMatch | null {
    return this.matchName(text) ?? this.matchIntent(text);
  }

  private matchIntent(text: string): CommandMatch | null {
    const intent = this.intentOf(text);
    const command = intent ? this.byIntent.get(intent) : undefined;
    return intent && command ? { command, invokedAs: '', args: '', intent } : null;
  }

  private matchName(text: string): CommandMatch | null {
    // Quotes are normalised only to find the command; the arguments keep what was typed
    // (macOS names Macs "Alex’s MacBook Pro" with a typographic apostrophe).
    const t = text.replace(/\s+/g, ' ').trim();
    const lower = normalizeText(t).toLowerCase();
    for (const { key, command } of this.names) {
      if (lower === key || lower.startsWith(`${key} `)) {
        return { command, invokedAs: t.slice(0, key.length), args: t.slice(key.length).trim() };
      }
    }
    return null;
  }

  /** The handler for a card button's verb, or undefined. */
  action(verb: string): CardAction | undefined {
    return this.actions.get(verb);
  }

  /** The commands this caller may run, in registration order, for the help card. */
  visibleTo(isAdmin: boolean): Command[] {
    return this.commands.filter((c) => !c.hidden && (isAdmin || c.audience === 'everyone'));
  }

  /**
   * The command name closest to what was typed (edit distance on the first words, relative to the
   * name's length), among those the caller may run; null when none is within `maxScore`.
   */
  closest(text: string, isAdmin: boolean, maxScore = 0.5): Command | null {
    return this.nearest(text, isAdmin, maxScore, 1)[0] ?? null;
  }

  /**
   * Up to `limit` different commands within `maxScore` of what was typed, closest first (a
   * command counts once, by its closest name or alias): "did you mean" buttons.
   */
  nearest(text: string, isAdmin: boolean, maxScore = 0.5, limit = 3): Command[] {
    const t = normalizeText(text).toLowerCase().slice(0, 200);
    if (t === '') return [];
    const best = new Map<Command, { score: number; at: number }>();
    this.names.forEach(({ key, command }, at) => {
      if (command.hidden || (!isAdmin && command.audience === 'admin')) return;
      const words = key.split(' ').length;
      const head = t.split(' ').slice(0, words).join(' ');
      const score = distance(head, key) / Math.max(key.length, 1);
      if (score <= maxScore && score < (best.get(command)?.score ?? Infinity))
        best.set(command, { score, at });
    });
    // Ties go to the name met first (longest names first), as `closest` always did.
    return [...best.entries()]
      .sort((a, b) => a[1].score - b[1].score || a[1].at - b[1].at)
      .slice(0, limit)
      .map(([command]) => command);
  }
}
