/** The languages the bot speaks to end users; English is the fallback for every other locale. */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The message catalogs (namespaces): `locales/<language>/<namespace>.json`. */
export const NAMESPACES = ['enduser', 'errors'] as const;
export type Namespace = (typeof NAMESPACES)[number];

/**
 * The language for a Teams locale (BCP 47: `de-DE`, `de-AT`, `ja-JP`, `fr`): its primary subtag
 * when the bot speaks it, else English (`pt-BR` → `en`). Missing or malformed → English.
 */
export function languageOf(locale: string | null | undefined): Language {
  const primary = /^([a-z]{2,3})(?:[-_]|$)/i.exec(locale?.trim() ?? '')?.[1]?.toLowerCase();
  return (LANGUAGES as readonly string[]).includes(primary ?? '') ? (primary as Language) : 'en';
}
