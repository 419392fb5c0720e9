import { catalogs } from './catalogs';
import { languageOf, type Language } from './languages';

/** A value put into a message: ICU formats numbers (plural, `{n, number}`) in the user's locale. */
export type MessageValue = string | number;

/**
 * Everything a card model needs to speak to one person: their language, the locale dates and
 * numbers are written in, their time zone, and `t` — a message from the catalogs (`ns:key`,
 * default namespace `enduser`). A key missing from the English catalog is a bug and throws.
 */
export interface Translator {
  readonly language: Language;
  /** The BCP 47 locale for `Intl` (`de-AT`; English is written `en-GB`, the bot's house style). */
  readonly locale: string;
  /** An IANA time zone (`Europe/Berlin`); `UTC` when Teams did not say. */
  readonly timeZone: string;
  t(key: string, values?: Record<string, MessageValue>): string;
}

/** Where a person's language and time zone come from: the activity, or the stored conversation. */
export interface UserLocale {
  locale?: string | null;
  timeZone?: string | null;
}

/** A time zone `Intl` knows, else null (Teams sends IANA names; anything else is ignored). */
export function validTimeZone(tz: string | null | undefined): string | null {
  if (!tz || tz.length > 64) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The locale `Intl` formats in: the person's own when the bot speaks its language, else `en-GB`. */
function formattingLocale(language: Language, locale: string | null | undefined): string {
  if (language === 'en' || !locale) return language === 'en' ? 'en-GB' : language;
  try {
    return Intl.getCanonicalLocales(locale.replace('_', '-'))[0] ?? language;
  } catch {
    return language;
  }
}

const cache = new Map<string, Translator>();

/** The translator for a person (cached: a handful of locale × time zone pairs in practice). */
export function translatorFor(user: UserLocale = {}): Translator {
  const language = languageOf(user.locale);
  const locale = formattingLocale(language, user.locale);
  const timeZone = validTimeZone(user.timeZone) ?? 'UTC';
  const id = `${locale}|${timeZone}`;
  let tr = cache.get(id);
  if (tr) return tr;
  const i18n = catalogs();
  const fixed = i18n.getFixedT(language);
  tr = {
    language,
    locale,
    timeZone,
    t(key, values) {
      if (!i18n.exists(key, { lng: 'en' })) throw new Error(`No message "${key}" in the English catalog`);
      return fixed(key, values ?? {});
    },
  };
  if (cache.size > 500) cache.clear();
  cache.set(id, tr);
  return tr;
}

/** English in UTC: admin cards, and anyone whose language is not known. */
export const ENGLISH: Translator = translatorFor();
