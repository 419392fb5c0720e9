import { IntlMessageFormat } from 'intl-messageformat';
import { endUserMenuModel } from '../../../src/cards/endUserMenuModel';
import { errorCard } from '../../../src/cards/errorCard';
import { formatAbsolute, formatDuration, formatRelative } from '../../../src/cards/formatDate';
import { readCatalogs } from '../../../src/cards/i18n/catalogs';
import { LANGUAGES, type Language } from '../../../src/cards/i18n/languages';
import { translatorFor, type Translator } from '../../../src/cards/i18n/translator';
import { reminderCardModel } from '../../../src/cards/reminderCardModel';
import { renderCard, type AdaptiveCard } from '../../../src/cards/renderCard';
import { statusCardModel } from '../../../src/cards/statusCardModel';
import { thankYouCardModel } from '../../../src/cards/thankYouCardModel';
import { troubleshootCardModel } from '../../../src/cards/troubleshootCardModel';
import { welcomeCardModel } from '../../../src/cards/welcomeCardModel';
import { DEFAULT_CRITERIA } from '../../../src/compliance/defaultCriteria';
import { diagnoseMac } from '../../../src/compliance/diagnoseMac';
import { TROUBLESHOOTING_TOPICS } from '../../../src/compliance/intents';
import {
  AccessDeniedError,
  UpstreamError,
  UserInputError,
  type UpstreamErrorCode,
} from '../../../src/errors';
import { adminOnlyCard } from '../../../src/teams/pipeline/authorize';
import { rateLimitCard } from '../../../src/teams/pipeline/rateLimit';
import { checkCard } from '../../helpers/validateCard';
import { RECORDS, callerWith } from '../endUserFixtures';
import { DAY, HOUR, NOW, entraDevice } from '../complianceFixtures';

const criteria = DEFAULT_CRITERIA;

const caller = callerWith;

const ERROR_CODES: UpstreamErrorCode[] = [
  'throttled',
  'unauthorized',
  'forbidden',
  'not_found',
  'timeout',
  'gone',
  'unavailable',
  'bad_request',
  'conflict',
  'bad_response',
];

/** Every card an end user can get, in one language. */
function endUserCards(tr: Translator): [string, AdaptiveCard][] {
  const ctx = { criteria, selfServicePolicyName: 'Register with Microsoft Entra ID', now: NOW, t: tr };
  const all = Object.values(RECORDS);
  const cards: [string, AdaptiveCard][] = [
    [
      'welcome',
      renderCard(
        'welcome',
        welcomeCardModel({
          givenName: 'Megan',
          deadline: '2026-12-31',
          selfServicePolicyName: 'Register',
          isAdmin: false,
          t: tr,
        }),
      ),
    ],
    [
      'welcome (admin, no deadline)',
      renderCard(
        'welcome',
        welcomeCardModel({
          givenName: null,
          deadline: null,
          selfServicePolicyName: 'Register',
          isAdmin: true,
          t: tr,
        }),
      ),
    ],
    [
      'status: every verdict',
      renderCard(
        'statusCard',
        statusCardModel(
          caller(all, {
            entraOnly: [entraDevice({ displayName: 'Old Mac' })],
            failures: [{ service: 'graph', error: new UpstreamError('graph', 'timeout', 'x') }],
          }),
          { ...ctx, ignored: 'x', isAdmin: true },
        ),
      ),
    ],
    ['status: no Mac', renderCard('statusCard', statusCardModel(caller([]), ctx))],
    [
      'status: failed',
      renderCard(
        'statusCard',
        statusCardModel(
          caller([], { failures: [{ service: 'jamf', error: new UpstreamError('jamf', 'timeout', 'x') }] }),
          ctx,
        ),
      ),
    ],
    [
      'status: one Mac, unknown diagnosis',
      renderCard(
        'statusCard',
        statusCardModel({ ...caller([]), macs: [{ record: RECORDS.compliant, diagnosis: null }] }, ctx),
      ),
    ],
    ['menu', renderCard('endUserMenu', endUserMenuModel('what is the weather', tr))],
    ['menu (button)', renderCard('endUserMenu', endUserMenuModel(null, tr))],
    [
      'thank-you',
      renderCard(
        'thankYou',
        thankYouCardModel({ macName: 'Megan’s MacBook Air', personName: 'Megan Bowen', locale: null, t: tr }),
      ),
    ],
    [
      'thank-you (no name)',
      renderCard(
        'thankYou',
        thankYouCardModel({ macName: 'MacBook', personName: null, locale: null, t: tr }),
      ),
    ],
    ['slow down', rateLimitCard(30, tr)],
    ['admin only', adminOnlyCard('check device', tr)],
    ['error: typed', errorCard(new UserInputError('x'), 'ref1', tr)],
    ['error: unexpected', errorCard(new Error('boom'), 'ref1', tr)],
    ['error: not allowed', errorCard(new AccessDeniedError('x'), 'ref1', tr)],
    [
      'error: missing permission',
      errorCard(
        new UpstreamError('graph', 'forbidden', 'x', {
          status: 403,
          permission: 'Device.Read.All',
          request: 'GET /devices',
        }),
        'ref1',
        tr,
      ),
    ],
  ];
  for (const code of ERROR_CODES)
    for (const service of ['graph', 'jamf', 'store'] as const)
      cards.push([
        `error: ${service} ${code}`,
        errorCard(new UpstreamError(service, code, 'x', { status: 503 }), 'ref1', tr),
      ]);
  for (const topic of TROUBLESHOOTING_TOPICS) {
    cards.push([
      `troubleshoot ${topic}`,
      renderCard('troubleshootCard', troubleshootCardModel(topic, caller(all), ctx)),
    ]);
    cards.push([
      `troubleshoot ${topic}, no Mac`,
      renderCard(
        'troubleshootCard',
        troubleshootCardModel(topic, caller([], { inConnectorGroup: false }), ctx),
      ),
    ]);
    cards.push([
      `troubleshoot ${topic}, stuck`,
      renderCard(
        'troubleshootCard',
        troubleshootCardModel(
          topic,
          caller([RECORDS.out_of_sync, RECORDS.compliant], { inConnectorGroup: null }),
          ctx,
        ),
      ),
    ]);
  }
  const reminderMacs = all.map((record, i) => {
    const d = diagnoseMac(record, criteria, NOW);
    const reasons = d.reasons.filter((r) => r.level === 'problem' && r.fix.who === 'user');
    return {
      computerId: String(i),
      name: record.jamf.name,
      serialNumber: record.jamf.serialNumber,
      verdictLabel: 'x',
      headline: 'x',
      steps: [],
      verdict: d.verdict,
      reasons: reasons.map((r) => ({ code: r.code, level: r.level, who: r.fix.who })),
      selfServiceUrl: 'jamfselfservice://content?entity=policy&id=1&action=view',
    };
  });
  cards.push([
    'reminder',
    renderCard(
      'reminderCard',
      reminderCardModel({ name: 'Megan Bowen' }, reminderMacs, '2026-12-31', 'c-00000001', { t: tr }),
    ),
  ]);
  cards.push([
    'reminder (one Mac, no name)',
    renderCard(
      'reminderCard',
      reminderCardModel({ name: null }, reminderMacs.slice(0, 1), null, '', { t: tr }),
    ),
  ]);
  return cards;
}

/** What a reader sees: every text and title on the card. */
function visibleText(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) visibleText(n, out);
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'text' || k === 'title') && typeof v === 'string') out.push(v);
      else visibleText(v, out);
    }
  return out;
}

type Tree = { [key: string]: string | Tree };
const catalogs = readCatalogs() as unknown as Record<Language, Record<string, Tree>>;
const messages = (tree: Tree): string[] =>
  Object.values(tree).flatMap((v) => (typeof v === 'string' ? [v] : messages(v)));

/** The literal words of a language's messages (the text between placeholders), as intl-messageformat parses them. */
function literals(lng: Language): Set<string> {
  const out = new Set<string>();
  const walk = (ast: unknown) => {
    for (const el of ast as { type: number; value: string; options?: Record<string, { value: unknown }> }[]) {
      if (el.type === 0) out.add(el.value.trim());
      for (const o of Object.values(el.options ?? {})) walk(o.value);
    }
  };
  for (const ns of Object.values(catalogs[lng]))
    for (const m of messages(ns)) walk(new IntlMessageFormat(m, lng).getAst());
  return out;
}

/** English phrases that must not be left in another language: multi-word literals of the English catalogs. */
const ENGLISH_PHRASES = [...literals('en')].filter((s) => /[a-z]{3,} [a-z]{2,}/i.test(s));

describe('every end-user card, in every language', () => {
  it('validates as Adaptive Cards 1.5 (every card in Japanese; the layout is the same in every language)', () => {
    for (const lng of ['ja'] as const) {
      for (const [name, card] of endUserCards(translatorFor({ locale: lng }))) {
        expect({ lng, name, problems: checkCard(card).problems }).toEqual({ lng, name, problems: [] });
      }
    }
  });

  for (const lng of LANGUAGES.filter((l) => l !== 'en')) {
    it(`${lng}: no English left (brand names, commands and data aside)`, () => {
      const own = literals(lng);
      // A phrase the translation keeps word for word (a product's own name) is not left-over English.
      const phrases = ENGLISH_PHRASES.filter((p) => ![...own].some((o) => o.includes(p)));
      expect(phrases.length).toBeGreaterThan(100);
      for (const [name, card] of endUserCards(translatorFor({ locale: `${lng}-XX` }))) {
        const text = visibleText(card).join('\n');
        const left = phrases.filter((p) => text.includes(p));
        expect({ lng, name, left }).toEqual({ lng, name, left: [] });
      }
    });
  }

  it('English is still the default, word for word', () => {
    const en = endUserCards(translatorFor({ locale: 'en-US' }));
    const text = en.map(([, c]) => visibleText(c).join('\n')).join('\n');
    expect(text).toContain('Hi Megan, let’s get your Mac ready');
    expect(text).toContain('Your 8 Macs');
    expect(text).toContain('Megan, your Macs need attention');
    // The check above would see English: the English cards are full of the phrases it looks for.
    expect(ENGLISH_PHRASES.filter((p) => text.includes(p)).length).toBeGreaterThan(100);
  });
});

describe('dates and durations in the reader’s locale and time zone', () => {
  const at = '2026-11-23T10:04:00.000Z';
  const now = new Date('2026-11-26T10:04:00.000Z');
  it('English in UTC as before', () => {
    expect(formatAbsolute(at)).toBe('23 Nov 2026, 10:04 UTC');
    expect(formatRelative(at, now)).toBe('3 days ago');
  });
  it('Japanese in Tokyo, German in Berlin', () => {
    const ja = translatorFor({ locale: 'ja-JP', timeZone: 'Asia/Tokyo' });
    expect(formatAbsolute(at, ja)).toBe('2026年11月23日 19:04 JST');
    expect(formatRelative(at, now, ja)).toBe('3 日前');
    expect(formatDuration(3 * DAY, ja)).toBe('3 日');
    const de = translatorFor({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
    expect(formatAbsolute(at, de)).toBe('23. Nov. 2026, 11:04 MEZ');
    expect(formatRelative(at, now, de)).toBe('vor 3 Tagen');
    expect(formatDuration(2 * HOUR, de)).toBe('2 Stunden');
    expect(formatRelative(null, now, de)).toBe('nie');
  });
});
