import { distance } from 'fastest-levenshtein';
import { INTENTS, type Intent } from '../compliance/intents';

export {
  INTENTS,
  TROUBLESHOOTING_TOPICS,
  type Intent,
  type TroubleshootingTopic,
} from '../compliance/intents';

/**
 * Phrases per intent, as words. Listed in priority order: when a message matches several
 * intents ("still not compliant after an hour, I ran gatherAADInfo"), the most specific wins —
 * an explicit request for a person first, then named errors and tools, then symptoms, then
 * the general "is my Mac OK".
 */
const PHRASES: Record<Intent, string[]> = {
  contact_it: [
    'contact it',
    'contact support',
    'contact the help desk',
    'talk to it',
    'talk to someone',
    'talk to a human',
    'talk to a person',
    'help desk',
    'helpdesk',
    'service desk',
    'escalate',
    'open a ticket',
    'raise a ticket',
    'create a ticket',
  ],
  gather_aad_info: ['gatheraadinfo', 'gather aad info', 'jamfaad'],
  account_not_onboarded: ['accountnotonboarded', 'account not onboarded', 'not onboarded'],
  company_portal: ['company portal', 'companyportal', 'intune app', 'intune company portal'],
  still_not_compliant: [
    'still not compliant',
    'still noncompliant',
    'still non compliant',
    'still n/a',
    'still na',
    'still shows n/a',
    'after an hour',
    'after one hour',
    'after a day',
    'waited an hour',
    'waited hours',
    'hours later',
  ],
  not_available: ['n/a', 'shows na', 'status na', 'not available', 'not applicable'],
  not_compliant: [
    'not compliant',
    'noncompliant',
    'non compliant',
    'isnt compliant',
    'is not compliant',
    'blocked',
    'cant sign in',
    'cant access',
    'access denied',
  ],
  register: [
    'register',
    'registered',
    'registration',
    'registering',
    'enroll',
    'enrol',
    'enrolled',
    'enrollment',
    'self service',
    'selfservice',
    'how do i start',
  ],
  status: [
    'status',
    'my mac',
    'my macs',
    'my macbook',
    'my imac',
    'my laptop',
    'my computer',
    'my device',
    'my devices',
    'am i compliant',
    'am i ok',
    'is my mac ok',
    'check my mac',
    'check my device',
    'check again',
    'compliance status',
    'am i good',
  ],
};

/** Lower case, straight quotes, apostrophes dropped ("can't" → "cant"), punctuation to spaces (keeping `n/a`). */
export function intentWords(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\u2018\u2019'`]/g, '')
    .replace(/\bn\s*\/\s*a\b/g, ' n/a ')
    .replace(/[^a-z0-9/]+/g, ' ')
    .replace(/(^|\s)\/+|\/+(\s|$)/g, ' ')
    .split(' ')
    .filter(Boolean);
}

/** Typos allowed in one word: none in short words (`it`, `mac`, `n/a`), one from 5 letters, two from 9. */
function typoBudget(word: string): number {
  return word.length >= 9 ? 2 : word.length >= 5 ? 1 : 0;
}

function wordMatches(typed: string, wanted: string, allowed = typoBudget(wanted)): boolean {
  if (typed === wanted) return true;
  return (
    allowed > 0 && Math.abs(typed.length - wanted.length) <= allowed && distance(typed, wanted) <= allowed
  );
}

/** The phrase's words appear one after another in the message (each within its typo budget). */
function containsPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (phrase.every((p, j) => wordMatches(words[i + j]!, p))) return true;
  }
  // "Account Not Onboarded" typed as one word, or "gather AAD info" as three: compare joined forms.
  if (phrase.length > 1) {
    // A joined phrase keeps each word's budget only when long: "contactit" must not match "contact".
    const joined = phrase.join('');
    const allowed = joined.length >= 12 ? 2 : 0;
    if (words.some((w) => wordMatches(w, joined, allowed))) return true;
  } else if (phrase[0]!.length >= 9) {
    for (let i = 0; i + 1 < words.length; i++) {
      for (let n = 2; n <= 3 && i + n <= words.length; n++) {
        if (wordMatches(words.slice(i, i + n).join(''), phrase[0]!)) return true;
      }
    }
  }
  return false;
}

const COMPILED: { intent: Intent; phrases: string[][] }[] = INTENTS.map((intent) => ({
  intent,
  phrases: PHRASES[intent].map((p) => p.split(' ')),
}));

/** Longest message the matcher reads: beyond this it is not a question about one Mac. */
const MAX_WORDS = 60;

/**
 * The intent of a free-text message, or null. Tolerant of case, punctuation, a typo or two per
 * word and any words around the phrase ("hi, my mac says AccountNotOnboarded??").
 */
export function matchIntent(text: string): Intent | null {
  const words = intentWords(text).slice(0, MAX_WORDS);
  if (words.length === 0) return null;
  for (const { intent, phrases } of COMPILED) {
    if (phrases.some((p) => containsPhrase(words, p))) return intent;
  }
  return null;
}
