import { UserInputError } from '../errors';
import type { OnboardTarget } from './onboardingTypes';

/** Graph's limit on a dynamic membership rule. */
export const MAX_RULE_LENGTH = 3072;
/** Graph's limit on a group's display name. */
export const MAX_GROUP_NAME_LENGTH = 256;

const USAGE = 'onboard group <name | object id> [rule "<dynamic membership rule>"]';
const EXAMPLE = 'e.g. **onboard group Mac users rule "(user.department -eq "Sales")"**';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OPEN = /["\u201C\u201D\u201E\u201F\u00AB\u00BB]/;
/** ` rule "` — the keyword only counts when a quote follows it. */
const RULE_KEYWORD = /(^|\s)rule\s+(["\u201C\u201D\u201E\u201F\u00AB\u00BB])/i;
/** Text that looks like a membership rule someone forgot to quote. */
const LOOKS_LIKE_RULE = /(^|\s)rule\s+\(?\s*(user|device)\.\w+/i;

/**
 * Typographic double quotes (Teams on a Mac autocorrects `"` to `“ ”`) back to the ASCII ones a
 * rule's string values need. Apostrophes stay as typed: `’` may be part of a value (O’Brien).
 */
export function straightenQuotes(text: string): string {
  return text.replace(/[\u201C\u201D\u201E\u201F\u00AB\u00BB]/g, '"');
}

/** Strips one pair of surrounding quotes; an opening quote without its closing one is refused. */
function unquote(text: string, what: string): string {
  const t = text.trim();
  const first = t.charAt(0);
  if (!OPEN.test(first)) {
    if (t.length > 1 && OPEN.test(t.charAt(t.length - 1)) && !OPEN.test(t.slice(0, -1))) {
      throw new UserInputError(`The ${what} ends with a quote that was never opened.`, `Use: ${USAGE}`);
    }
    return t;
  }
  const last = t.charAt(t.length - 1);
  if (t.length < 2 || !OPEN.test(last)) {
    throw new UserInputError(`The ${what} starts with a quote that is never closed.`, `Use: ${USAGE}`);
  }
  return t.slice(1, -1).trim();
}

/**
 * Reads `onboard group <name | object id> [rule "<rule>"]`. The name may be quoted; the rule
 * must be, and runs to the last quote of the message, so quotes inside it (`-eq "Sales"`) need
 * no escaping. Smart double quotes count as quotes and become ASCII quotes inside the rule. A missing
 * closing quote, an empty or over-long rule or name is a clear `UserInputError`; whether the
 * rule is valid is Graph's to say (its 400 comes back as a message).
 */
export function parseOnboardArgs(args: string): OnboardTarget {
  const text = args.trim();
  if (text === '') {
    throw new UserInputError('Tell me which Entra user group to onboard.', `Use: ${USAGE} — ${EXAMPLE}`);
  }
  let head = text;
  let rule: string | null = null;
  const m = RULE_KEYWORD.exec(text);
  if (m) {
    head = text.slice(0, m.index);
    const body = text.slice(m.index + m[0].length);
    let close = body.length - 1;
    while (close >= 0 && !OPEN.test(body.charAt(close))) close--;
    if (close < 0) {
      throw new UserInputError(
        'The rule starts with a quote that is never closed.',
        `Put the whole rule in quotes: ${EXAMPLE}`,
      );
    }
    const after = body.slice(close + 1).trim();
    if (after !== '') {
      throw new UserInputError(
        `The rule must end with its closing quote, but "${after.slice(0, 60)}" follows the last quote.`,
        `The rule comes last, in quotes: ${EXAMPLE}`,
      );
    }
    rule = straightenQuotes(body.slice(0, close)).trim();
    if (rule === '')
      throw new UserInputError('The rule is empty.', `Give a membership rule in quotes: ${EXAMPLE}`);
    if (rule.length > MAX_RULE_LENGTH) {
      throw new UserInputError(
        `The rule is ${rule.length.toLocaleString('en-US')} characters long; Entra accepts at most ${MAX_RULE_LENGTH.toLocaleString('en-US')}.`,
      );
    }
  } else if (/\srule$/i.test(text)) {
    throw new UserInputError('The rule is missing after **rule**.', `Give it in quotes: ${EXAMPLE}`);
  } else if (LOOKS_LIKE_RULE.test(text)) {
    throw new UserInputError(
      'Put the membership rule in quotes.',
      `The rule comes last, in quotes: ${EXAMPLE}`,
    );
  }
  // The plan card is the dry run, so `--dry-run` is accepted and changes nothing; any other
  // option is refused rather than becoming part of a new group's name.
  const options = head.match(/(^|\s)--[a-z][\w-]*(?=\s|$)/gi) ?? [];
  for (const o of options) {
    if (!/^--dry-?run$/i.test(o.trim())) {
      throw new UserInputError(
        `I don't know the option ${o.trim()}.`,
        `Use: ${USAGE}. Every run shows the plan first (a dry run); nothing changes until you press Apply.`,
      );
    }
  }
  head = head.replace(/(^|\s)--dry-?run(?=\s|$)/gi, ' ');
  const value = unquote(head, 'group name');
  if (value === '') {
    throw new UserInputError('Tell me which Entra user group to onboard.', `Use: ${USAGE} — ${EXAMPLE}`);
  }
  if (value.length > MAX_GROUP_NAME_LENGTH) {
    throw new UserInputError(
      `That group name is ${value.length} characters long; Entra allows at most ${MAX_GROUP_NAME_LENGTH}.`,
    );
  }
  if (GUID.test(value)) {
    if (rule !== null) {
      throw new UserInputError(
        'A rule only applies to a group I create, and I create groups by name, not by object id.',
        'Give the group’s name with the rule, or the object id without one.',
      );
    }
    return { kind: 'id', value: value.toLowerCase(), rule: null };
  }
  return { kind: 'name', value, rule };
}
