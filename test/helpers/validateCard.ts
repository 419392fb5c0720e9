import { JSDOM } from 'jsdom';
import { swapChartsForFallbacks } from './teamsCharts';

/**
 * Parses a card with Microsoft's `adaptivecards` renderer (the same library Teams' web client
 * builds on) as schema 1.5 and returns every warning and validation problem; [] means valid.
 * The library needs a DOM, so it gets jsdom's; its bundled build is loaded because the lib/
 * build is ESM without file extensions (FACTS.md).
 */
type AC = typeof import('adaptivecards');

let ac: AC | null = null;
let dom: JSDOM | null = null;

function load(): AC {
  if (ac) return ac;
  dom = new JSDOM('<!doctype html><html><body></body></html>');
  const g = globalThis as Record<string, unknown>;
  const w = dom.window as unknown as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(w)) {
    if (
      /^(HTML|SVG)\w*Element$|^(Node|Element|Document|DocumentFragment|Text|Event|KeyboardEvent|MouseEvent)$/.test(
        key,
      ) &&
      !(key in g)
    ) {
      g[key] = w[key];
    }
  }
  if (!('window' in g)) g.window = dom.window;
  if (!('document' in g)) g.document = dom.window.document;
  if (!('navigator' in g)) g.navigator = dom.window.navigator;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ac = require('adaptivecards/dist/adaptivecards.js') as AC;
  ac.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = text;
    result.didProcess = true;
  };
  return ac;
}

export interface CardCheck {
  problems: string[];
  /** The card rendered to HTML by the adaptivecards renderer. */
  html: string;
}

/**
 * Validates an Adaptive Card (1.5) and renders it to HTML. Teams chart elements are checked on
 * their own and replaced by their fallbacks first (./teamsCharts): the library does not know them.
 */
export function checkCard(card: unknown): CardCheck {
  const AC = load();
  // The library checks `lang` with a /g regex, whose lastIndex carries over from the last card
  // checked: every second card with a valid `lang` would fail. Reset it before each card.
  const lang = (AC.CardElement as unknown as { langProperty?: { regEx?: RegExp } }).langProperty?.regEx;
  if (lang) lang.lastIndex = 0;
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  const charts = swapChartsForFallbacks(card);
  parsed.parse(charts.card as object, context);
  const problems: string[] = [...charts.problems];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    problems.push(`parse: ${e.message}`);
  }
  for (const e of parsed.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  const el = parsed.render();
  return { problems, html: el?.outerHTML ?? '' };
}
