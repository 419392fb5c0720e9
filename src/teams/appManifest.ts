import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { createCommands, type CommandDeps } from '../commands/allCommands';
import type { Command } from '../commands/commandTypes';

/**
 * The Teams app manifest: `appPackage/manifest.json`, in the Agents Toolkit's convention — its
 * `${{NAME}}` placeholders are filled by the Toolkit when it packages, and by `npm run package`
 * (scripts/package.ts) through `buildManifest` — checked against the schema that ships in
 * `@microsoft/app-manifest`, so both paths and the tests agree on what a valid package is. The
 * bot's command menus are generated from the command registry (`commandListsFor`), so they list
 * exactly the commands the bot has. Build-time tooling only: the running bot never imports this.
 */

/** A manifest as JSON; the schema, not a TypeScript type, is the authority on its shape. */
export type TeamsManifest = Record<string, unknown>;

export interface ManifestInputs {
  /** The Azure Bot registration's Microsoft App ID. */
  botId: string;
  /** The Teams app id (manifest `id`); defaults to the bot id, the usual one-app-one-bot setup. */
  appId?: string;
  /** Host name the bot is reachable at (scheme and path are dropped); omitted → the host of `publicUrl`. */
  domain?: string;
  /** The bot's public URL (PUBLIC_URL); its host goes into `validDomains` too. */
  publicUrl?: string;
  /** Jamf Pro's URL (JAMF_URL): its computer links unfurl into device cards (`messageHandlers`). */
  jamfUrl?: string;
  /** The app version (semver); Teams only accepts an update when it grows. */
  version: string;
  /** Appended to the short name (APP_NAME_SUFFIX), e.g. " (test)"; default none. */
  nameSuffix?: string;
  /** https pages shown in the app's details; default the demo's example.com pages. */
  privacyUrl?: string;
  termsOfUseUrl?: string;
  /** The commands the menus list; default the bot's own registry (`registryCommands`). */
  commands?: readonly Command[];
}

export const APP_PACKAGE_DIR = path.resolve(__dirname, '../../appPackage');
/** The manifest with the Toolkit's placeholders (the Toolkit packages this very file). */
export const MANIFEST_TEMPLATE_PATH = path.join(APP_PACKAGE_DIR, 'manifest.json');

/** Good enough for the demo; a real catalog entry names the organisation's own pages. */
export const DEFAULT_PRIVACY_URL = 'https://example.com/jamf-compliance/privacy';
export const DEFAULT_TERMS_OF_USE_URL = 'https://example.com/jamf-compliance/terms';

/** Teams' bot command menu shows at most 10 commands; schemas up to 1.21 enforced these lengths. */
export const MENU_LIMITS = { commands: 10, title: 32, description: 128 };
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
export const PLACEHOLDER = /\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g;

/** The scopes the bot is installed in; each gets a command menu. */
export type MenuScope = 'personal' | 'team' | 'groupChat';

export interface MenuCommand {
  title: string;
  description: string;
}

/** A `bots[].commandLists[]` entry. */
export interface CommandList {
  scopes: MenuScope[];
  commands: MenuCommand[];
}

/**
 * The bot's commands as the registry has them, built with deps that are never called: only the
 * names, audiences and help texts are read.
 */
export function registryCommands(): Command[] {
  const unused: CommandDeps = new Proxy({}, { get: () => unused }) as CommandDeps;
  return createCommands(unused).commands;
}

/**
 * The commands a scope's menu lists. The rule: every command the help card can show (not
 * hidden), in help order; in a team or group chat only those that answer there (not
 * `personalOnly`: the caller's own Mac is discussed in 1:1 only). Teams shows at most 10, so when
 * there are more, the `menuWhenRoom` ones (set-up, once-in-a-while, or needing an id) fill only
 * the room the others leave, first in help order first; end-user commands come first in the
 * registry, so everyone's own commands are never the ones cut. What a menu leaves out is still
 * one press away: `help`, in every menu, shows every command with its example as a button. The
 * menu is the same for every user: an admin command in the 1:1 menu answers a non-admin with
 * "admins only", as typing it would.
 */
export function menuCommands(commands: readonly Command[], scope: MenuScope): Command[] {
  const eligible = commands.filter((c) => !c.hidden && (scope === 'personal' || !c.personalOnly));
  const first = eligible.filter((c) => !c.menuWhenRoom).slice(0, MENU_LIMITS.commands);
  const room = MENU_LIMITS.commands - first.length;
  const chosen = new Set([...first, ...eligible.filter((c) => c.menuWhenRoom).slice(0, room)]);
  return eligible.filter((c) => chosen.has(c));
}

/** The manifest's command lists: one for 1:1, one shared by team and group chat. */
export function commandListsFor(commands: readonly Command[] = registryCommands()): CommandList[] {
  const list = (scopes: MenuScope[]): CommandList => ({
    scopes,
    commands: menuCommands(commands, scopes[0]!).map((c) => ({
      title: menuTitle(c),
      description: menuDescription(c),
    })),
  });
  return [list(['personal']), list(['team', 'groupChat'])];
}

/**
 * The command's name, spelled as its first example spells it when that starts with the name
 * ("contact IT"): matching ignores case, and the menu reads better.
 */
export function menuTitle(c: Pick<Command, 'name' | 'examples'>): string {
  const first = c.examples[0] ?? '';
  return first.toLowerCase().startsWith(c.name.toLowerCase()) ? first.slice(0, c.name.length) : c.name;
}

/**
 * The help card's summary and, when it shows more than the title, its first example — within the
 * menu's 128 characters: a summary too long for both keeps its example-free form, and one too
 * long alone keeps its first clause (up to the first colon or semicolon).
 */
export function menuDescription(c: Pick<Command, 'name' | 'summary' | 'examples'>): string {
  const example = c.examples[0];
  const withExample =
    example && example.toLowerCase() !== c.name.toLowerCase() ? `${c.summary} e.g. ${example}` : c.summary;
  if (withExample.length <= MENU_LIMITS.description) return withExample;
  if (c.summary.length <= MENU_LIMITS.description) return c.summary;
  const clause = c.summary.split(/[:;]/)[0]!.trim().replace(/[.,]$/, '');
  return clause.length < MENU_LIMITS.description
    ? `${clause}.`
    : `${clause.slice(0, MENU_LIMITS.description - 1)}…`;
}

/** The manifest's first bot's command lists (empty when it has none). */
export function commandListsOf(manifest: TeamsManifest): unknown[] {
  const bot = Array.isArray(manifest.bots) && isRecord(manifest.bots[0]) ? manifest.bots[0] : undefined;
  return Array.isArray(bot?.commandLists) ? bot.commandLists : [];
}

/** `https://bot.example.com/x` → `bot.example.com`; null when it is not a URL. */
function hostOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).host.toLowerCase() || null;
  } catch {
    return null;
  }
}

/** Reads the manifest template from `appPackage/`. */
export function loadManifestTemplate(file = MANIFEST_TEMPLATE_PATH): TeamsManifest {
  return JSON.parse(readFileSync(file, 'utf8')) as TeamsManifest;
}

/** `https://bot.example.com:443/api/messages` → `bot.example.com:443`: validDomains takes hosts only. */
export function normalizeDomain(input: string): string {
  return input
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/[/?#].*$/, '')
    .toLowerCase();
}

/**
 * Fills `${{NAME}}` placeholders in a manifest or one of its language files from the inputs;
 * unknown ones are left in place (validation reports them).
 */
export function fillPlaceholders(value: unknown, inputs: ManifestInputs): unknown {
  const domain = inputs.domain ? normalizeDomain(inputs.domain) : (hostOf(inputs.publicUrl) ?? '');
  const values: Record<string, string> = {
    BOT_ID: inputs.botId,
    TEAMS_APP_ID: inputs.appId || inputs.botId,
    BOT_DOMAIN: domain,
    APP_VERSION: inputs.version,
    APP_NAME_SUFFIX: inputs.nameSuffix ?? '',
    PRIVACY_URL: inputs.privacyUrl ?? DEFAULT_PRIVACY_URL,
    TERMS_OF_USE_URL: inputs.termsOfUseUrl ?? DEFAULT_TERMS_OF_USE_URL,
    JAMF_HOST: hostOf(inputs.jamfUrl) ?? '',
  };
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(PLACEHOLDER, (m, name: string) => values[name] ?? m);
    if (Array.isArray(v)) return v.map(fill);
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(value);
}

/**
 * Fills the manifest's `${{NAME}}` placeholders, puts the registry's command menus in and
 * `validDomains` from the bot's domain and PUBLIC_URL's host. Unknown placeholders are left in
 * place, so `validateManifest` reports them instead of a half-filled package reaching Teams.
 */
export function buildManifest(inputs: ManifestInputs, template = loadManifestTemplate()): TeamsManifest {
  const publicHost = hostOf(inputs.publicUrl);
  const manifest = fillPlaceholders(template, inputs) as TeamsManifest;
  manifest.version = inputs.version;
  const bot = Array.isArray(manifest.bots) && isRecord(manifest.bots[0]) ? manifest.bots[0] : undefined;
  if (bot) bot.commandLists = commandListsFor(inputs.commands ?? registryCommands());
  // An empty domain would fill as "" — drop it rather than ship an invalid entry.
  if (Array.isArray(manifest.validDomains)) {
    const domains = [...new Set([...manifest.validDomains, publicHost])].filter(
      (d): d is string => typeof d === 'string' && d !== '',
    );
    if (domains.length) manifest.validDomains = domains;
    else delete manifest.validDomains;
  }
  dropEmptyLinkDomains(manifest);
  return manifest;
}

/**
 * Without JAMF_URL (the demo) the link handler keeps Entra's host only: an empty domain would
 * make the package invalid. A handler left with no domain is dropped.
 */
function dropEmptyLinkDomains(manifest: TeamsManifest): void {
  const extensions = Array.isArray(manifest.composeExtensions) ? manifest.composeExtensions : [];
  for (const extension of extensions) {
    if (!isRecord(extension) || !Array.isArray(extension.messageHandlers)) continue;
    const handlers = (extension.messageHandlers as unknown[]).filter((handler) => {
      const value = isRecord(handler) && isRecord(handler.value) ? handler.value : null;
      if (!value || !Array.isArray(value.domains)) return true;
      const domains = (value.domains as unknown[]).filter((d) => d !== '');
      value.domains = domains;
      return domains.length > 0;
    });
    if (handlers.length) extension.messageHandlers = handlers;
    else delete extension.messageHandlers;
  }
}

/**
 * Every problem with a manifest, one readable line each (`path: what is wrong`); empty when it is
 * valid. Checks the JSON schema for its `manifestVersion`, then the rules the schema cannot express.
 */
export function validateManifest(manifest: unknown): string[] {
  if (!isRecord(manifest)) return ['(manifest): must be a JSON object'];
  const version = manifest.manifestVersion;
  if (typeof version !== 'string' || !schemaVersions().includes(version)) {
    return [
      `manifestVersion: ${JSON.stringify(version)} has no schema in @microsoft/app-manifest ` +
        `(known: ${schemaVersions().join(', ')})`,
    ];
  }
  const validate = compiledSchema(version);
  const schemaErrors = validate(manifest) ? [] : (validate.errors ?? []).map((e) => formatError(e, manifest));
  // One line per problem: a rule that repeats what the schema already said about a field adds nothing.
  const flagged = new Set(schemaErrors.map(fieldOf).filter((f) => f !== '(manifest)'));
  const rules = ruleErrors(manifest).filter((e) => !flagged.has(fieldOf(e)));
  return [...new Set([...schemaErrors, ...rules])];
}

/** The numbered Teams schema versions shipped in `@microsoft/app-manifest`, oldest first. */
export function schemaVersions(): string[] {
  return readdirSync(schemaRoot())
    .filter((d) => /^v\d+\.\d+$/.test(d))
    .map((d) => d.slice(1))
    .sort((a, b) => compareVersions(a, b));
}

/** Path of the schema file for a manifest version, e.g. `1.30`. */
export function schemaPath(version: string): string {
  return path.join(schemaRoot(), `v${version}`, 'MicrosoftTeams.schema.json');
}

function schemaRoot(): string {
  const pkg = require.resolve('@microsoft/app-manifest/package.json');
  return path.join(path.dirname(pkg), 'build', 'json-schemas', 'teams');
}

function compareVersions(a: string, b: string): number {
  const [a1 = 0, a2 = 0] = a.split('.').map(Number);
  const [b1 = 0, b2 = 0] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2;
}

const validators = new Map<string, ValidateFunction>();

/**
 * The Teams schemas declare JSON Schema draft-04, which Ajv 8 no longer ships a meta-schema for.
 * Their vocabulary is otherwise draft-07's, so the two draft-04-only spellings (`id`, boolean
 * `exclusiveMaximum`/`exclusiveMinimum`) are rewritten and the rest is compiled by plain Ajv.
 */
function compiledSchema(version: string): ValidateFunction {
  let validate = validators.get(version);
  if (!validate) {
    const raw = JSON.parse(readFileSync(schemaPath(version), 'utf8')) as Record<string, unknown>;
    const schema = fromDraft04(raw) as Record<string, unknown>;
    delete schema.$schema;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    validate = ajv.compile(schema);
    validators.set(version, validate);
  }
  return validate;
}

const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', 'dependencies'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'items'];
const SCHEMA_ONES = ['not', 'items', 'additionalItems', 'additionalProperties'];

/** Rewrites draft-04-only keywords to their draft-07 equivalents in every subschema. */
export function fromDraft04(node: unknown): unknown {
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = { ...node };
  if (typeof out.id === 'string') {
    out.$id = out.id;
    delete out.id;
  }
  for (const [flag, bound] of [
    ['exclusiveMaximum', 'maximum'],
    ['exclusiveMinimum', 'minimum'],
  ] as const) {
    if (out[flag] === true) {
      out[flag] = out[bound];
      delete out[bound];
    } else if (out[flag] === false) delete out[flag];
  }
  for (const key of SCHEMA_MAPS) {
    const map = out[key];
    if (isRecord(map))
      out[key] = Object.fromEntries(Object.entries(map).map(([k, s]) => [k, fromDraft04(s)]));
  }
  for (const key of SCHEMA_LISTS) {
    const list = out[key];
    if (Array.isArray(list)) out[key] = list.map(fromDraft04);
  }
  for (const key of SCHEMA_ONES) {
    if (isRecord(out[key])) out[key] = fromDraft04(out[key]);
  }
  return out;
}

function fieldOf(error: string): string {
  return error.slice(0, error.indexOf(': '));
}

/** `/bots/0/commandLists/1/commands/2/title` → `bots[0].commandLists[1].commands[2].title`. */
function readablePath(pointer: string): string {
  if (pointer === '') return '(manifest)';
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

function shown(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function formatError(e: ErrorObject, root: unknown): string {
  const where = readablePath(e.instancePath);
  const value = valueAt(root, e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${where}: missing required property "${String(p.missingProperty)}"`;
    case 'additionalProperties':
      return `${where}: unknown property "${String(p.additionalProperty)}" (not allowed by the schema)`;
    case 'maxLength':
      return `${where}: is ${String(value).length} characters long, at most ${String(p.limit)} allowed`;
    case 'maxItems':
      return `${where}: has ${Array.isArray(value) ? value.length : '?'} items, at most ${String(p.limit)} allowed`;
    case 'enum':
      return `${where}: ${shown(value)} is not one of ${(p.allowedValues as unknown[]).map(shown).join(', ')}`;
    case 'const':
      return `${where}: must be ${shown(p.allowedValue)}, got ${shown(value)}`;
    case 'pattern':
      if (e.schemaPath.includes('definitions/guid')) return `${where}: ${shown(value)} is not a GUID`;
      if (e.schemaPath.includes('definitions/hexColor')) {
        return `${where}: ${shown(value)} is not a colour such as #1F5FAD`;
      }
      if (/definitions\/(any|secure)HttpUrl/.test(e.schemaPath)) {
        return `${where}: ${shown(value)} is not an http(s) URL`;
      }
      return `${where}: ${shown(value)} does not match ${String(p.pattern)}`;
    case 'type':
      return `${where}: must be ${String(p.type)}, got ${shown(value)}`;
    default:
      return `${where}: ${e.message ?? e.keyword}`;
  }
}

/** What the schema cannot say: menu limits Teams still applies, and ids that must agree. */
function ruleErrors(m: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (typeof v === 'string') {
      for (const [, name] of v.matchAll(PLACEHOLDER))
        errors.push(`${at}: placeholder \${{${name}}} was not filled`);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (isRecord(v)) for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
  };
  walk(m, '');
  if (typeof m.version === 'string' && !m.version.includes('${{') && !SEMVER.test(m.version)) {
    errors.push(`version: ${shown(m.version)} is not a semver version such as 1.0.0`);
  }
  const bots = Array.isArray(m.bots) ? m.bots : [];
  bots.forEach((bot, i) => {
    if (!isRecord(bot)) return;
    const botScopes = Array.isArray(bot.scopes) ? bot.scopes : [];
    const lists = Array.isArray(bot.commandLists) ? bot.commandLists : [];
    lists.forEach((list, j) => {
      if (!isRecord(list)) return;
      const at = `bots[${i}].commandLists[${j}]`;
      for (const scope of Array.isArray(list.scopes) ? list.scopes : []) {
        if (!botScopes.includes(scope))
          errors.push(`${at}.scopes: ${shown(scope)} is not one of the bot's scopes`);
      }
      const commands = Array.isArray(list.commands) ? list.commands : [];
      if (commands.length > MENU_LIMITS.commands) {
        errors.push(
          `${at}.commands: ${commands.length} commands, the Teams menu shows at most ${MENU_LIMITS.commands}`,
        );
      }
      commands.forEach((c, k) => {
        if (!isRecord(c)) return;
        for (const field of ['title', 'description'] as const) {
          const text = c[field];
          const limit = MENU_LIMITS[field];
          if (typeof text === 'string' && text.length > limit) {
            errors.push(
              `${at}.commands[${k}].${field}: is ${text.length} characters long, ` +
                `the Teams command menu allows at most ${limit}`,
            );
          }
        }
      });
    });
  });
  const botId = isRecord(bots[0]) ? bots[0].botId : undefined;
  const app = m.webApplicationInfo;
  if (isRecord(app) && typeof botId === 'string') {
    // Proactive install (TeamsAppInstallation.ReadWriteSelfForUser.All) is granted to the bot's app.
    if (app.id !== botId)
      errors.push(`webApplicationInfo.id: must be the bot id ${botId}, got ${shown(app.id)}`);
    if (app.resource !== undefined && app.resource !== `api://botid-${botId}`) {
      errors.push(`webApplicationInfo.resource: must be "api://botid-${botId}", got ${shown(app.resource)}`);
    }
  }
  const domains = Array.isArray(m.validDomains) ? m.validDomains : [];
  domains.forEach((d, i) => {
    if (typeof d === 'string' && (d === '' || /[/\s]|:\/\//.test(d))) {
      errors.push(`validDomains[${i}]: ${shown(d)} must be a host name such as bot.example.com`);
    } else if (typeof d === 'string' && d.includes('*')) {
      // The bot links only to its own host: a wildcard would trust every sibling host too.
      errors.push(`validDomains[${i}]: ${shown(d)} has a wildcard; name the bot's own host instead`);
    }
  });
  const developer = isRecord(m.developer) ? m.developer : {};
  for (const [field, setting] of [
    ['privacyUrl', 'PRIVACY_URL'],
    ['termsOfUseUrl', 'TERMS_OF_USE_URL'],
  ] as const) {
    const v = developer[field];
    // The schema accepts http; Teams' store and admin center expect https pages.
    if (typeof v === 'string' && !v.includes('${{') && !/^https:\/\/[^/\s]+/i.test(v)) {
      errors.push(`developer.${field}: ${shown(v)} must be an https URL (set ${setting})`);
    }
  }
  return errors;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
