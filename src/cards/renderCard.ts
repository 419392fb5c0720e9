import fs from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import type { CardModels, CardName } from './cardModels';

/** An Adaptive Card as JSON (schema 1.5). */
export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

/** The folder holding the card templates (`/cards/*.json`), found from this file in src/ or dist/. */
export const CARDS_DIR = path.resolve(__dirname, '..', '..', 'cards');

const cache = new Map<string, unknown>();

/**
 * adaptivecards-templating parses every `${…}` string with an ANTLR grammar on every expand —
 * about 10 ms of CPU per device card. The strings come from our templates, a small fixed set, so
 * the parsed expressions are kept (bounded, in case anything else ever passes through).
 */
function memoizeExpressionParsing(): void {
  type Parse = (s: string) => unknown;
  const T = ACData.Template as unknown as { parseInterpolatedString: Parse & { memoized?: boolean } };
  if (T.parseInterpolatedString.memoized) return;
  const parse = T.parseInterpolatedString.bind(ACData.Template);
  const parsed = new Map<string, unknown>();
  const memo = ((s: string) => {
    let e = parsed.get(s);
    if (e === undefined) {
      if (parsed.size >= 5_000) parsed.clear();
      e = parse(s);
      parsed.set(s, e);
    }
    return e;
  }) as Parse & { memoized?: boolean };
  memo.memoized = true;
  T.parseInterpolatedString = memo;
}
memoizeExpressionParsing();

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
 * view model holds the words and facts — built by the command, never by the template. The
 * name fixes the model's type (`CardModels`).
 */
export function renderCard<K extends CardName>(name: K, model: CardModels[K]): AdaptiveCard {
  const template = new ACData.Template(loadTemplate(name));
  const card = template.expand({ $root: model }) as AdaptiveCard;
  // A top-level part left out by its `$when` (e.g. `refresh`) expands to null, and so does a
  // `refresh` property whose value is null (`userIds`): drop them.
  for (const [key, value] of Object.entries(card)) if (value === null) delete card[key];
  const refresh = card.refresh as Record<string, unknown> | undefined;
  if (refresh) for (const [key, value] of Object.entries(refresh)) if (value === null) delete refresh[key];
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
