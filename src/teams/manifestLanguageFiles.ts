import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  APP_PACKAGE_DIR,
  fillPlaceholders,
  fromDraft04,
  loadManifestTemplate,
  PLACEHOLDER,
  schemaPath,
  type ManifestInputs,
  type TeamsManifest,
} from './appManifest';

/** One `localizationInfo.additionalLanguages` entry with its file's strings. */
export interface ManifestLanguageFile {
  languageTag: string;
  /** The file's name in the package (relative to the manifest). */
  file: string;
  content: Record<string, unknown>;
}

/**
 * The manifest's translations (`appPackage/<language>.json`, named in `localizationInfo`): the
 * app's name and descriptions for Teams clients in German, French, Spanish and Japanese — filled
 * like the manifest (`APP_NAME_SUFFIX`), so `npm run package` zips them beside it.
 */
export function manifestLanguageFiles(
  inputs: ManifestInputs | null,
  template: TeamsManifest = loadManifestTemplate(),
  dir = APP_PACKAGE_DIR,
): ManifestLanguageFile[] {
  const info = template.localizationInfo as
    { additionalLanguages?: { languageTag: string; file: string }[] } | undefined;
  return (info?.additionalLanguages ?? []).map(({ languageTag, file }) => {
    const raw = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
    return {
      languageTag,
      file,
      content: (inputs ? fillPlaceholders(raw, inputs) : raw) as Record<string, unknown>,
    };
  });
}

const validators = new Map<string, ValidateFunction>();

/**
 * Every problem with a language file, one line each (`file: path: what is wrong`): the Teams
 * localization schema of the manifest's version, and no unfilled placeholder.
 */
export function validateLanguageFile(lang: ManifestLanguageFile, manifestVersion: string): string[] {
  let validate = validators.get(manifestVersion);
  if (!validate) {
    const file = path.join(
      path.dirname(schemaPath(manifestVersion)),
      'MicrosoftTeams.Localization.schema.json',
    );
    const schema = fromDraft04(JSON.parse(readFileSync(file, 'utf8'))) as Record<string, unknown>;
    delete schema.$schema;
    // Its key patterns use `\b` beside `]`, which a unicode regular expression refuses.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    validate = ajv.compile(schema);
    validators.set(manifestVersion, validate);
  }
  const errors = validate(lang.content)
    ? []
    : (validate.errors ?? []).map((e) =>
        `${lang.file}: ${e.instancePath || '(file)'} ${e.message ?? ''}`.trim(),
      );
  for (const [key, value] of Object.entries(lang.content)) {
    if (typeof value === 'string' && new RegExp(PLACEHOLDER.source).test(value))
      errors.push(`${lang.file}: ${key} has an unfilled placeholder`);
  }
  return errors;
}
