import fs from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';

/** An Adaptive Card as JSON (schema 1.5). */
export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

/** The folder holding the card templates (`/cards/*.json`), found from this file in src/ or dist/. */
export const CARDS_DIR = path.resolve(__dirname, '..', '..', 'cards');

const cache = new Map<string, unknown>();

function loadTemplate(name: string): unknown {
  let t = cache.get(name);
  if (t === undefined) {
    if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(name)) throw new Error(`Bad card template name "${name}"`);
    t = JSON.parse(fs.readFileSync(path.join(CARDS_DIR, `${name}.json`), 'utf8'));
    cache.set(name, t);
  }
  return t;
}

/**
 * Fills the template `cards/<name>.json` from a view model. Templates hold layout only; the
 * view model holds the words and facts — built by the command, never by the template.
 */
export function renderCard(name: string, data: object): AdaptiveCard {
  const template = new ACData.Template(loadTemplate(name));
  const card = template.expand({ $root: data }) as AdaptiveCard;
  return card;
}

/** The Bot Framework attachment that carries a card. */
export function cardAttachment(card: AdaptiveCard): { contentType: string; content: AdaptiveCard } {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card };
}

/** Names of every template in /cards, for the tests that render them all. */
export function listCardTemplates(): string[] {
  return fs
    .readdirSync(CARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

/**
 * Escapes text a person typed before it goes into a card's markdown, so `**`, `[link](…)` or
 * `<at>` in their input shows as typed instead of being formatted.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]()<>~])/g, '\\$1');
}
