import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type Resource } from 'i18next';
import ICU from 'i18next-icu';
import { LANGUAGES, NAMESPACES } from './languages';

/** The folder holding the message catalogs (`/locales/<language>/<namespace>.json`), from src/ or dist/. */
export const LOCALES_DIR = path.resolve(__dirname, '..', '..', '..', 'locales');

/** Every catalog, read synchronously from disk: `resources[language][namespace]`. */
export function readCatalogs(dir = LOCALES_DIR): Resource {
  const resources: Resource = {};
  for (const lng of LANGUAGES) {
    resources[lng] = {};
    for (const ns of NAMESPACES) {
      resources[lng][ns] = JSON.parse(fs.readFileSync(path.join(dir, lng, `${ns}.json`), 'utf8')) as Record<
        string,
        unknown
      >;
    }
  }
  return resources;
}

let instance: i18n | null = null;

/**
 * The bot's own i18next instance (never the global one), with ICU message syntax (plurals,
 * select) and the catalogs loaded at start, so `t` is synchronous. Values are inserted as given:
 * escaping is the card models' job (`escapeMarkdown`), and Adaptive Cards are JSON, not HTML.
 */
export function catalogs(): i18n {
  if (instance) return instance;
  const created = i18next.createInstance();
  void created.use(new ICU()).init({
    initAsync: false,
    resources: readCatalogs(),
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    ns: [...NAMESPACES],
    defaultNS: 'enduser',
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  instance = created;
  return created;
}
