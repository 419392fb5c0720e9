/**
 * `npm run package`: builds the Teams app package (manifest.json + icons) to upload in Teams or
 * the Developer Portal — what the Agents Toolkit does with the same `appPackage/manifest.json`
 * when it provisions. Settings come from the environment or `.env`: MICROSOFT_APP_ID (or the
 * Toolkit's BOT_ID; the bot), TEAMS_APP_ID (manifest id, defaults to the bot id), PUBLIC_URL (or
 * BOT_ENDPOINT) and BOT_DOMAIN (validDomains), JAMF_URL (its host's computer links unfurl),
 * PRIVACY_URL and TERMS_OF_USE_URL (https), APP_NAME_SUFFIX.
 *
 * `npm run package -- --write-manifest` rewrites the command menus in appPackage/manifest.json
 * from the command registry (the package built here always carries the registry's menus; the
 * file is what the Toolkit packages as it is, and a test fails while the two differ).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import JSZip from 'jszip';
import { DEMO_BOT_ID } from '../demo/demoIdentities';
import {
  APP_PACKAGE_DIR,
  buildManifest,
  commandListsFor,
  commandListsOf,
  loadManifestTemplate,
  MANIFEST_TEMPLATE_PATH,
  validateManifest,
  type ManifestInputs,
  type TeamsManifest,
} from '../src/teams/appManifest';
import { manifestLanguageFiles, validateLanguageFile } from '../src/teams/manifestLanguageFiles';

export const DEFAULT_OUT_FILE = path.join(APP_PACKAGE_DIR, 'build', 'jamf-compliance-bot.zip');
const ICONS = ['color.png', 'outline.png'] as const;

/** The manifest was invalid; `errors` has one readable line per problem. */
export class ManifestInvalidError extends Error {
  constructor(readonly errors: string[]) {
    super(`The Teams app manifest is not valid:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'ManifestInvalidError';
  }
}

/**
 * Package inputs from environment variables; empty values count as unset, as in `.env` files.
 * `errors` names each setting that would make a package Teams rejects, with the fix.
 */
export function inputsFromEnv(
  env: NodeJS.ProcessEnv,
  version: string,
): { inputs: ManifestInputs; warnings: string[]; errors: string[] } {
  const get = (k: string) => env[k]?.trim() || undefined;
  const warnings: string[] = [];
  const errors: string[] = [];
  const realBot = get('MICROSOFT_APP_ID') ?? get('BOT_ID');
  const botId = realBot ?? DEMO_BOT_ID;
  if (!realBot) {
    warnings.push(
      `MICROSOFT_APP_ID is not set: packaging with the demo bot id ${DEMO_BOT_ID}. ` +
        'Teams will not reach this bot; set it to your Azure Bot registration\'s "Microsoft App ID".',
    );
  }
  for (const setting of ['PRIVACY_URL', 'TERMS_OF_USE_URL', 'PUBLIC_URL'] as const) {
    const v = get(setting);
    if (v !== undefined && !isHttpsUrl(v)) {
      errors.push(
        `${setting}: ${JSON.stringify(v)} is not an https URL — set it to e.g. https://contoso.example/…`,
      );
    }
    if (v === undefined && realBot && setting !== 'PUBLIC_URL') {
      warnings.push(
        `${setting} is not set: the app's details link to an example.com page; set it to your organisation's page.`,
      );
    }
  }
  if (realBot && !get('PUBLIC_URL') && !get('BOT_DOMAIN')) {
    warnings.push(
      "PUBLIC_URL is not set: the package has no validDomains; set it to the bot's https address.",
    );
  }
  const inputs: ManifestInputs = {
    botId,
    appId: get('TEAMS_APP_ID'),
    domain: get('BOT_DOMAIN'),
    publicUrl: get('PUBLIC_URL') ?? get('BOT_ENDPOINT'),
    jamfUrl: get('JAMF_URL'),
    version,
    nameSuffix: env.APP_NAME_SUFFIX ?? undefined,
    privacyUrl: get('PRIVACY_URL'),
    termsOfUseUrl: get('TERMS_OF_USE_URL'),
  };
  return { inputs, warnings, errors };
}

function isHttpsUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' && u.host !== '';
  } catch {
    return false;
  }
}

/**
 * Where appPackage/manifest.json's command menus differ from the registry's (what the Toolkit
 * would package), as one message with the fix; null when they agree.
 */
export function commandListDrift(file = MANIFEST_TEMPLATE_PATH): string | null {
  const committed = commandListsOf(loadManifestTemplate(file));
  const generated = commandListsFor();
  if (JSON.stringify(committed) === JSON.stringify(generated)) return null;
  return (
    `${path.relative(process.cwd(), file)}: its command menus differ from the bot's commands ` +
    '(the Agents Toolkit packages that file as it is) — run: npm run package -- --write-manifest'
  );
}

/**
 * Rewrites the manifest file's command menus from the registry, keeping everything else as it is
 * (formatted as `npm run lint` wants it: `formatJson`).
 */
export function writeCommandLists(file = MANIFEST_TEMPLATE_PATH): void {
  const manifest = loadManifestTemplate(file);
  const bot = (manifest.bots as Array<Record<string, unknown>> | undefined)?.[0];
  if (!bot) throw new Error(`${file} has no bot to give command menus to`);
  bot.commandLists = commandListsFor();
  writeFileSync(file, `${formatJson(manifest)}\n`);
}

const PRINT_WIDTH = 110; // .prettierrc.json

/**
 * JSON laid out as Prettier lays out a file written by `JSON.stringify(v, null, 2)`: objects one
 * property a line, arrays of plain values on one line when they fit. (Prettier itself cannot be
 * loaded under Jest, which runs this.)
 */
export function formatJson(value: unknown, indent = '', column = 0): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) {
      const inline = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      if (column + inline.length + 1 <= PRINT_WIDTH) return inline;
    }
    const inner = `${indent}  `;
    return `[\n${value.map((v) => `${inner}${formatJson(v, inner, inner.length)}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    const lines = entries.map(([k, v]) => {
      const head = `${inner}${JSON.stringify(k)}: `;
      return `${head}${formatJson(v, inner, head.length)}`;
    });
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/**
 * Fills and validates the manifest and its language files, then zips them with the icons at the
 * zip root (where Teams looks for them). Throws `ManifestInvalidError` rather than write a package Teams would reject.
 */
export async function packageApp(
  inputs: ManifestInputs,
  outFile = DEFAULT_OUT_FILE,
  sourceDir = APP_PACKAGE_DIR,
): Promise<{ outFile: string; manifest: TeamsManifest }> {
  const manifest = buildManifest(inputs);
  // The name and descriptions in German, French, Spanish and Japanese (`localizationInfo`).
  const languages = manifestLanguageFiles(inputs, loadManifestTemplate(), sourceDir);
  const errors = [
    ...validateManifest(manifest),
    ...languages.flatMap((l) => validateLanguageFile(l, String(manifest.manifestVersion))),
  ];
  if (errors.length) throw new ManifestInvalidError(errors);

  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  for (const l of languages) zip.file(l.file, `${JSON.stringify(l.content, null, 2)}\n`);
  for (const icon of ICONS) {
    const file = path.join(sourceDir, icon);
    if (!existsSync(file)) throw new Error(`${file} is missing — draw it with: npx tsx scripts/makeIcons.ts`);
    zip.file(icon, readFileSync(file));
  }
  const data = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, data);
  return { outFile, manifest };
}

async function main(): Promise<void> {
  if (process.argv.includes('--write-manifest')) {
    writeCommandLists();
    console.log(`Wrote the command menus of ${path.relative(process.cwd(), MANIFEST_TEMPLATE_PATH)}`);
    return;
  }
  dotenv.config({ path: path.resolve(__dirname, '../.env') });
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')) as {
    version: string;
  };
  const { inputs, warnings, errors } = inputsFromEnv(process.env, pkg.version);
  const drift = commandListDrift();
  for (const w of drift ? [...warnings, drift] : warnings) console.warn(`warning: ${w}`);
  if (errors.length) {
    console.error(errors.join('\n'));
    process.exitCode = 1;
    return;
  }
  try {
    const { outFile, manifest } = await packageApp(inputs);
    console.log(`Wrote ${path.relative(process.cwd(), outFile)}`);
    console.log(`  app id ${String(manifest.id)}, bot id ${inputs.botId}, version ${inputs.version}`);
    console.log(`  validDomains: ${JSON.stringify(manifest.validDomains ?? [])}`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
