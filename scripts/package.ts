/**
 * `npm run package`: builds the Teams app package (manifest.json + icons) to upload in Teams or
 * the Developer Portal. Settings come from the environment or `.env`:
 * MICROSOFT_APP_ID (the bot), TEAMS_APP_ID (manifest id, defaults to the bot id), BOT_DOMAIN.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import JSZip from 'jszip';
import { DEMO_BOT_ID } from '../demo/demoIdentities';
import {
  APP_PACKAGE_DIR,
  buildManifest,
  validateManifest,
  type ManifestInputs,
  type TeamsManifest,
} from '../src/teams/appManifest';

export const DEFAULT_OUT_FILE = path.join(APP_PACKAGE_DIR, 'build', 'jamf-compliance-bot.zip');
const ICONS = ['color.png', 'outline.png'] as const;

/** The manifest was invalid; `errors` has one readable line per problem. */
export class ManifestInvalidError extends Error {
  constructor(readonly errors: string[]) {
    super(`The Teams app manifest is not valid:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'ManifestInvalidError';
  }
}

/** Package inputs from environment variables; empty values count as unset, as in `.env` files. */
export function inputsFromEnv(
  env: NodeJS.ProcessEnv,
  version: string,
): { inputs: ManifestInputs; warnings: string[] } {
  const get = (k: string) => env[k]?.trim() || undefined;
  const warnings: string[] = [];
  const botId = get('MICROSOFT_APP_ID') ?? DEMO_BOT_ID;
  if (!get('MICROSOFT_APP_ID')) {
    warnings.push(
      `MICROSOFT_APP_ID is not set: packaging with the demo bot id ${DEMO_BOT_ID}. ` +
        'Teams will not reach this bot; set it to your Azure Bot registration\'s "Microsoft App ID".',
    );
  }
  return { inputs: { botId, appId: get('TEAMS_APP_ID'), domain: get('BOT_DOMAIN'), version }, warnings };
}

/**
 * Fills and validates the manifest, then zips it with the icons at the zip root (where Teams
 * looks for them). Throws `ManifestInvalidError` rather than write a package Teams would reject.
 */
export async function packageApp(
  inputs: ManifestInputs,
  outFile = DEFAULT_OUT_FILE,
  sourceDir = APP_PACKAGE_DIR,
): Promise<{ outFile: string; manifest: TeamsManifest }> {
  const manifest = buildManifest(inputs);
  const errors = validateManifest(manifest);
  if (errors.length) throw new ManifestInvalidError(errors);

  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
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
  dotenv.config({ path: path.resolve(__dirname, '../.env') });
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')) as {
    version: string;
  };
  const { inputs, warnings } = inputsFromEnv(process.env, pkg.version);
  for (const w of warnings) console.warn(`warning: ${w}`);
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
