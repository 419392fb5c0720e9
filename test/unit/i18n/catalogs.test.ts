import { IntlMessageFormat } from 'intl-messageformat';
import { readCatalogs } from '../../../src/cards/i18n/catalogs';
import { LANGUAGES, NAMESPACES, languageOf } from '../../../src/cards/i18n/languages';
import { translatorFor, validTimeZone } from '../../../src/cards/i18n/translator';

type Tree = { [key: string]: string | Tree };
type Ast = ReturnType<IntlMessageFormat['getAst']>;

const catalogs = readCatalogs() as unknown as Record<string, Record<string, Tree>>;

/** Every message of a catalog, by its dotted key. */
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

// intl-messageformat's AST element types (its parser's TYPE enum).
const KIND: Record<number, string> = {
  1: 'argument',
  2: 'number',
  3: 'date',
  4: 'time',
  5: 'select',
  6: 'plural',
};

/**
 * A message's placeholders as intl-messageformat's parser reads them: each argument with its
 * kind, and for a select its cases (a plural's categories differ by language, so not those).
 */
function placeholders(ast: Ast, into = new Set<string>()): Set<string> {
  for (const el of ast as unknown as {
    type: number;
    value: string;
    options?: Record<string, { value: Ast }>;
  }[]) {
    const kind = KIND[el.type];
    if (kind) {
      into.add(
        kind === 'select'
          ? `${el.value}:select(${Object.keys(el.options ?? {})
              .sort()
              .join('|')})`
          : `${el.value}:${kind}`,
      );
    }
    for (const option of Object.values(el.options ?? {})) placeholders(option.value, into);
  }
  return into;
}

const parse = (message: string, lng: string): Set<string> =>
  placeholders(new IntlMessageFormat(message, lng).getAst());

describe('message catalogs (locales/<language>/<namespace>.json)', () => {
  for (const ns of NAMESPACES) {
    const english = flatten(catalogs.en![ns]!);

    it(`${ns}: English parses as ICU and has messages`, () => {
      expect(english.size).toBeGreaterThan(10);
      for (const [, message] of english) expect(() => parse(message, 'en')).not.toThrow();
    });

    for (const lng of LANGUAGES.filter((l) => l !== 'en')) {
      it(`${ns}/${lng}: every key, no extra key, the same ICU placeholders as English`, () => {
        const translated = flatten(catalogs[lng]![ns]!);
        expect([...translated.keys()].sort()).toEqual([...english.keys()].sort());
        for (const [key, message] of english) {
          const theirs = translated.get(key)!;
          expect({ key, placeholders: [...parse(theirs, lng)].sort() }).toEqual({
            key,
            placeholders: [...parse(message, 'en')].sort(),
          });
        }
      });

      it(`${ns}/${lng}: translated, not copied — only brand names, commands and format strings stay as in English`, () => {
        const translated = flatten(catalogs[lng]![ns]!);
        const same = [...english].filter(([key, message]) => translated.get(key) === message).map(([k]) => k);
        // Format-only messages and names that are the same in every language.
        const allowed = new Set([
          'common.numbered',
          'common.bullet',
          'menu.errorTitle',
          'service.jamf',
          'service.teams',
        ]);
        expect(same.filter((k) => !allowed.has(k))).toEqual([]);
      });
    }
  }
});

describe('the language of a Teams locale', () => {
  it.each([
    ['de-DE', 'de'],
    ['de-AT', 'de'],
    ['fr-CA', 'fr'],
    ['es-MX', 'es'],
    ['ja-JP', 'ja'],
    ['en-US', 'en'],
    ['pt-BR', 'en'],
    ['zh-Hans-CN', 'en'],
    ['', 'en'],
    [null, 'en'],
    ['not a locale', 'en'],
  ])('%s → %s', (locale, language) => {
    expect(languageOf(locale)).toBe(language);
    expect(translatorFor({ locale }).language).toBe(language);
  });

  it('formats in the person’s own variant of a language, and English the bot’s way (en-GB)', () => {
    expect(translatorFor({ locale: 'de-AT' }).locale).toBe('de-AT');
    expect(translatorFor({ locale: 'en-US' }).locale).toBe('en-GB');
    expect(translatorFor({ locale: 'pt-BR' }).locale).toBe('en-GB');
  });

  it('keeps a real IANA time zone and ignores anything else (UTC)', () => {
    expect(validTimeZone('Asia/Tokyo')).toBe('Asia/Tokyo');
    expect(validTimeZone('Mars/Olympus')).toBeNull();
    expect(translatorFor({ locale: 'ja-JP', timeZone: 'Mars/Olympus' }).timeZone).toBe('UTC');
  });

  it('throws on a key that is not in the English catalog (a bug, never a raw key on a card)', () => {
    expect(() => translatorFor({ locale: 'de' }).t('no.such.key')).toThrow(/no\.such\.key/);
  });
});

describe('plurals: 0, 1, 2 and 5 in each language', () => {
  const render = (lng: string, key: string, count: number, values: Record<string, string | number> = {}) =>
    translatorFor({ locale: lng }).t(key, { count, ...values });
  const EXPECTED: Record<string, Record<string, [string, string, string, string]>> = {
    'status.title': {
      en: ['I could not find a Mac for you', 'Your Mac', 'Your 2 Macs', 'Your 5 Macs'],
      de: ['Ich konnte keinen Mac für Sie finden', 'Ihr Mac', 'Ihre 2 Macs', 'Ihre 5 Macs'],
      fr: ['Je n’ai trouvé aucun Mac pour vous', 'Votre Mac', 'Vos 2 Mac', 'Vos 5 Mac'],
      es: ['No he encontrado ningún Mac suyo', 'Su Mac', 'Sus 2 Mac', 'Sus 5 Mac'],
      ja: [
        'お使いの Mac が見つかりませんでした',
        'お使いの Mac',
        'お使いの Mac（2 台）',
        'お使いの Mac（5 台）',
      ],
    },
    'slowDown.text': {
      en: ['0 seconds.', '1 second.', '2 seconds.', '5 seconds.'],
      // French counts 0 as singular.
      fr: ['0 seconde.', '1 seconde.', '2 secondes.', '5 secondes.'],
      de: ['0 Sekunden erneut.', '1 Sekunde erneut.', '2 Sekunden erneut.', '5 Sekunden erneut.'],
      es: ['0 segundos.', '1 segundo.', '2 segundos.', '5 segundos.'],
      ja: ['0 秒後に', '1 秒後に', '2 秒後に', '5 秒後に'],
    },
    'reminder.intro': {
      en: ['0 of your Macs are', 'One of your Macs is', '2 of your Macs are', '5 of your Macs are'],
      de: ['0 Ihrer Macs sind', 'Einer Ihrer Macs ist', '2 Ihrer Macs sind', '5 Ihrer Macs sind'],
      fr: ['L’un de vos Mac n’est', 'L’un de vos Mac n’est', '2 de vos Mac ne sont', '5 de vos Mac ne sont'],
      es: [
        '0 de sus Mac todavía no lo están',
        'Uno de sus Mac todavía no lo está',
        '2 de sus Mac todavía no lo están',
        '5 de sus Mac todavía no lo están',
      ],
      ja: [
        'お使いの Mac のうち 0 台が',
        'お使いの Mac のうち 1 台が',
        'お使いの Mac のうち 2 台が',
        'お使いの Mac のうち 5 台が',
      ],
    },
    'contactIt.sentText': {
      en: ['your 0 Macs', 'your Mac and', 'your 2 Macs', 'your 5 Macs'],
      de: ['Ihren 0 Macs', 'Ihrem Mac und', 'Ihren 2 Macs', 'Ihren 5 Macs'],
      fr: ['votre Mac et', 'votre Mac et', 'vos 2 Mac', 'vos 5 Mac'],
      es: ['sus 0 Mac', 'su Mac y', 'sus 2 Mac', 'sus 5 Mac'],
      ja: [
        'お使いの Mac 0 台の詳細',
        'お使いの Mac の詳細',
        'お使いの Mac 2 台の詳細',
        'お使いの Mac 5 台の詳細',
      ],
    },
  };
  for (const [key, byLanguage] of Object.entries(EXPECTED)) {
    it(`${key} in every language`, () => {
      expect(Object.keys(byLanguage).sort()).toEqual([...LANGUAGES].sort());
      for (const [lng, expected] of Object.entries(byLanguage)) {
        [0, 1, 2, 5].forEach((n, i) => {
          const text = render(lng, key, n, { seconds: n, found: 'yes', name: 'Megan' });
          expect({ lng, n, text, has: text.includes(expected[i]!) }).toMatchObject({ lng, n, has: true });
        });
      }
    });
  }

  it('numbers in the person’s locale', () => {
    expect(render('de-DE', 'status.title', 1200)).toBe('Ihre 1.200 Macs');
    expect(render('en-US', 'status.title', 1200)).toBe('Your 1,200 Macs');
  });
});
