import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import JSZip from 'jszip';
import { DEMO_BOT_ID } from '../../demo/demoIdentities';
import {
  APP_PACKAGE_DIR,
  buildManifest,
  commandListsFor,
  commandListsOf,
  DEFAULT_PRIVACY_URL,
  DEFAULT_TERMS_OF_USE_URL,
  fromDraft04,
  loadManifestTemplate,
  MENU_LIMITS,
  registryCommands,
  schemaPath,
  schemaVersions,
  validateManifest,
  type TeamsManifest,
} from '../../src/teams/appManifest';
import { manifestLanguageFiles, validateLanguageFile } from '../../src/teams/manifestLanguageFiles';
import { CommandRegistry } from '../../src/commands/commandRegistry';
import { ENTRA_PORTAL_HOST } from '../../src/commands/deviceLinkQuery';
import { FIND_MAC_COMMAND } from '../../src/teams/messageExtension';
import type { Command, CommandContext } from '../../src/commands/commandTypes';
import { UserInputError } from '../../src/errors';
import { silentLogger } from '../../src/log';
import {
  commandListDrift,
  inputsFromEnv,
  ManifestInvalidError,
  packageApp,
  writeCommandLists,
} from '../../scripts/package';

const BOT_ID = '3c8e1f6a-5b2d-4e9f-a1c7-0d4b8e2f6a93';
const APP_ID = 'a7d2c4e9-1f3b-4a6d-8e5c-9b0f2d4a6c81';

/** A deep copy to break without touching the shared fixture. */
const built = (): TeamsManifest & { bots: Array<Record<string, unknown>> } =>
  buildManifest({ botId: BOT_ID, version: '1.2.3', domain: 'https://bot.example.com/api/messages' }) as never;

const commandsOf = (m: TeamsManifest, list: number): Array<{ title: string; description?: string }> =>
  ((m.bots as Array<{ commandLists: Array<{ commands: unknown }> }>)[0]?.commandLists[list]?.commands ??
    []) as never;

describe('the Teams app manifest', () => {
  it('is written against the newest numbered schema that @microsoft/app-manifest ships', () => {
    const template = loadManifestTemplate();
    const newest = schemaVersions().at(-1);
    expect(template.manifestVersion).toBe(newest);
    expect(template.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${newest}/MicrosoftTeams.schema.json`,
    );
    expect(existsSync(schemaPath(String(newest)))).toBe(true);
  });

  it('validates with zero errors, with and without a domain', () => {
    expect(validateManifest(built())).toEqual([]);
    const demo = buildManifest({ botId: DEMO_BOT_ID, version: '0.1.0' });
    expect(validateManifest(demo)).toEqual([]);
    expect(demo).not.toHaveProperty('validDomains');
  });

  it('passes the official validator of @microsoft/app-manifest too (draft-04 Ajv, in plain Node)', () => {
    // Jest cannot load that package (ESM dependencies), so a child Node process runs it.
    const script = `
      const { AppManifestUtils } = require('@microsoft/app-manifest');
      const [manifest, schema] = JSON.parse(require('fs').readFileSync(0, 'utf8'));
      AppManifestUtils.validateAgainstSchema(manifest, schema).then((e) => process.stdout.write(JSON.stringify(e)));`;
    const check = (m: TeamsManifest): string[] => {
      const schema = JSON.parse(readFileSync(schemaPath(String(m.manifestVersion)), 'utf8')) as unknown;
      const out = execFileSync(process.execPath, ['-e', script], {
        input: JSON.stringify([m, schema]),
        cwd: path.resolve(__dirname, '../..'),
        stdio: ['pipe', 'pipe', 'ignore'],
      });
      return JSON.parse(out.toString()) as string[];
    };
    expect(check(built())).toEqual([]);
    const broken = built();
    broken.id = 'not-a-guid';
    expect(check(broken).length).toBeGreaterThan(0);
    expect(validateManifest(broken).length).toBeGreaterThan(0);
  });

  it('fills the bot id, the app id and the domain', () => {
    const m = buildManifest({
      botId: BOT_ID,
      appId: APP_ID,
      version: '1.0.0',
      domain: 'HTTPS://Bot.Example.com/',
    });
    expect(m.id).toBe(APP_ID);
    expect(m.version).toBe('1.0.0');
    expect((m.bots as Array<{ botId: string }>)[0]?.botId).toBe(BOT_ID);
    expect(m.webApplicationInfo).toEqual({ id: BOT_ID, resource: `api://botid-${BOT_ID}` });
    expect(m.validDomains).toEqual(['bot.example.com']);
    expect(JSON.stringify(m)).not.toContain('${{');
    expect(buildManifest({ botId: BOT_ID, version: '1.0.0' }).id).toBe(BOT_ID);
  });

  it('is installed in 1:1, teams and group chats, and does not take files (the bot handles none)', () => {
    const bot = built().bots[0] as { scopes: string[]; supportsFiles?: boolean; isNotificationOnly: boolean };
    expect(bot.scopes).toEqual(['personal', 'team', 'groupChat']);
    // FACTS: a bot that receives or sends files needs supportsFiles; the CSV export is a link instead.
    expect(bot.supportsFiles ?? false).toBe(false);
    expect(bot.isNotificationOnly).toBe(false);
  });

  it("keeps the Agents Toolkit placeholders in appPackage/manifest.json, and its version is package.json's", () => {
    const text = readFileSync(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8');
    for (const name of [
      'TEAMS_APP_ID',
      'BOT_ID',
      'BOT_DOMAIN',
      'APP_NAME_SUFFIX',
      'PRIVACY_URL',
      'TERMS_OF_USE_URL',
      'JAMF_HOST',
    ]) {
      expect(text).toContain(`\${{${name}}}`);
    }
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
      version: string;
    };
    expect(loadManifestTemplate().version).toBe(pkg.version);
  });

  it('takes the privacy and terms pages from the inputs (example.com for the demo), https only', () => {
    const m = buildManifest({
      botId: BOT_ID,
      version: '1.0.0',
      privacyUrl: 'https://contoso.example/privacy',
      termsOfUseUrl: 'https://contoso.example/terms',
      nameSuffix: ' (test)',
    });
    expect(m.developer).toMatchObject({
      privacyUrl: 'https://contoso.example/privacy',
      termsOfUseUrl: 'https://contoso.example/terms',
    });
    expect((m.name as { short: string }).short).toBe('Jamf Compliance (test)');
    expect(built().developer).toMatchObject({
      privacyUrl: DEFAULT_PRIVACY_URL,
      termsOfUseUrl: DEFAULT_TERMS_OF_USE_URL,
    });
    const plain = buildManifest({ botId: BOT_ID, version: '1.0.0', privacyUrl: 'http://contoso.example/p' });
    expect(validateManifest(plain)).toEqual([
      'developer.privacyUrl: "http://contoso.example/p" must be an https URL (set PRIVACY_URL)',
    ]);
  });

  it("puts PUBLIC_URL's host and the bot domain in validDomains, once each, and refuses wildcards", () => {
    const fromUrl = buildManifest({
      botId: BOT_ID,
      version: '1.0.0',
      publicUrl: 'https://Bot.Example.com/x',
    });
    expect(fromUrl.validDomains).toEqual(['bot.example.com']);
    const both = buildManifest({
      botId: BOT_ID,
      version: '1.0.0',
      publicUrl: 'https://files.example.com',
      domain: 'bot.example.com',
    });
    expect(both.validDomains).toEqual(['bot.example.com', 'files.example.com']);
    expect(validateManifest(both)).toEqual([]);
    expect(validateManifest({ ...both, validDomains: ['*.example.com'] })).toEqual([
      'validDomains[0]: "*.example.com" has a wildcard; name the bot\'s own host instead',
    ]);
  });
});

describe('the message extension (compose box and link previews)', () => {
  type Extension = {
    botId: string;
    commands: Array<Record<string, unknown> & { parameters: Array<{ name: string }> }>;
    messageHandlers?: Array<{ type: string; value: { domains: string[] } }>;
  };
  const extensionOf = (m: TeamsManifest): Extension => (m.composeExtensions as Extension[])[0]!;

  it('searches Macs with one query command, served by the bot (the ids the bot answers to)', () => {
    const ext = extensionOf(built());
    expect(ext.botId).toBe(BOT_ID);
    expect(ext.commands).toHaveLength(1);
    expect(ext.commands[0]).toMatchObject({
      id: FIND_MAC_COMMAND.id,
      type: 'query',
      context: ['compose', 'commandBox'],
      initialRun: false,
    });
    expect(ext.commands[0]!.parameters.map((p) => p.name)).toEqual([FIND_MAC_COMMAND.parameter]);
  });

  it("unfurls links of JAMF_URL's host and of the Entra admin center, and validates", () => {
    const m = buildManifest({
      botId: BOT_ID,
      version: '1.0.0',
      domain: 'bot.example.com',
      jamfUrl: 'https://Contoso.jamfcloud.com/',
    });
    expect(extensionOf(m).messageHandlers).toEqual([
      { type: 'link', value: { domains: ['contoso.jamfcloud.com', ENTRA_PORTAL_HOST] } },
    ]);
    expect(validateManifest(m)).toEqual([]);
    // No JAMF_URL (the demo): Entra's links only, no empty domain.
    expect(extensionOf(built()).messageHandlers).toEqual([
      { type: 'link', value: { domains: [ENTRA_PORTAL_HOST] } },
    ]);
    expect(inputsFromEnv({ JAMF_URL: 'https://contoso.jamfcloud.com' }, '1.0.0').inputs.jamfUrl).toBe(
      'https://contoso.jamfcloud.com',
    );
  });
});

/** A turn in a team channel, for finding out which commands answer there. */
function channelTurn(): CommandContext {
  return {
    caller: { teamsUserId: '29:u', aadObjectId: null, name: 'Admin', tenantId: null, isAdmin: true },
    conversation: { id: '19:c@thread.tacv2', scope: 'channel', teamId: '19:t', channelId: '19:c' },
    text: '',
    args: '',
    invokedAs: '',
    log: silentLogger(),
    now: () => new Date('2026-01-05T10:00:00Z'),
    reply: async () => undefined,
    update: async () => undefined,
  };
}

/**
 * Does the command refuse to answer in a channel (the "only in our 1:1 chat" answer)? Its deps are
 * never-working stand-ins, so anything else it does ends in some other error: it answers there.
 */
async function refusesOutside1to1(command: Command): Promise<boolean> {
  try {
    await command.run(channelTurn());
    return false;
  } catch (e) {
    return e instanceof UserInputError && /1:1 chat/.test(e.message);
  }
}

describe('the command menus', () => {
  const commands = registryCommands();
  /** What the help card lists for an admin: every visible command, in help order. */
  const visible = new CommandRegistry(commands).visibleTo(true);
  const lists = commandListsFor(commands);
  const titlesIn = (scope: string): string[] =>
    (lists.find((l) => (l.scopes as string[]).includes(scope))?.commands ?? []).map((c) =>
      c.title.toLowerCase(),
    );

  it('appPackage/manifest.json carries exactly the menus the registry gives (npm run package -- --write-manifest)', () => {
    expect(commandListsOf(loadManifestTemplate())).toEqual(commandListsFor());
    expect(commandListDrift()).toBeNull();
  });

  /*
   * The rule, checked against the registry from the outside:
   * - personal (1:1): every command the help card shows an admin, in help order, at most 10 —
   *   Teams shows no more; when there are more, the `menuWhenRoom` ones only fill the room left.
   * - team and groupChat: the same, without the commands that refuse to answer outside a 1:1 chat
   *   (they are about the caller's own Mac).
   * - `help` is in both, and its buttons run every command (tested end to end).
   */
  const expectedMenu = (eligible: Command[]): string[] => {
    const first = eligible.filter((c) => !c.menuWhenRoom);
    const room = MENU_LIMITS.commands - first.length;
    const kept = new Set([...first, ...eligible.filter((c) => c.menuWhenRoom).slice(0, Math.max(0, room))]);
    return eligible.filter((c) => kept.has(c)).map((c) => c.name);
  };

  it("1:1: the help card's commands in help order, the set-up ones only when there is room", () => {
    expect(titlesIn('personal')).toEqual(expectedMenu(visible));
    expect(titlesIn('personal')).toHaveLength(MENU_LIMITS.commands);
    expect(
      visible.filter((c) => c.audience === 'everyone').every((c) => titlesIn('personal').includes(c.name)),
    ).toBe(true);
    expect(titlesIn('personal')).toEqual(
      expect.arrayContaining(['help', 'check device', 'connector status', 'rollout', 'remind', 'campaigns']),
    );
  });

  it('team and group chat: the commands that answer there, in help order, the set-up ones only when there is room', async () => {
    const answering: Command[] = [];
    for (const c of visible) if (!(await refusesOutside1to1(c))) answering.push(c);
    expect(answering.map((c) => c.name)).toEqual(visible.filter((c) => !c.personalOnly).map((c) => c.name));
    expect(titlesIn('team')).toEqual(expectedMenu(answering));
    expect(titlesIn('groupChat')).toEqual(titlesIn('team'));
    expect(titlesIn('team')).toEqual(expect.arrayContaining(['help', 'remind', 'campaigns']));
    expect(titlesIn('team')).not.toContain('status');
  });

  it('lists only commands the bot has (no remind list, no remind cancel), and hidden ones nowhere', () => {
    const names = new Set(commands.map((c) => c.name));
    for (const title of [...titlesIn('personal'), ...titlesIn('team')]) expect(names).toContain(title);
    for (const c of commands.filter((x) => x.hidden)) expect(titlesIn('personal')).not.toContain(c.name);
  });

  it("describes each command with its help summary (and an example when it fits), within Teams' limits", () => {
    for (const list of lists) {
      expect(list.commands.length).toBeLessThanOrEqual(MENU_LIMITS.commands);
      for (const item of list.commands) {
        const c = commands.find((x) => x.name === item.title.toLowerCase())!;
        expect(item.title.length).toBeLessThanOrEqual(MENU_LIMITS.title);
        expect(item.description.length).toBeLessThanOrEqual(MENU_LIMITS.description);
        expect(c.summary.startsWith(item.description.replace(/[.…]$/, '').split(' e.g. ')[0]!)).toBe(true);
      }
    }
    const check = lists[0]!.commands.find((c) => c.title === 'check device')!;
    expect(check.description).toMatch(/ e\.g\. check device \S/);
    expect(lists[0]!.commands.find((c) => c.title === 'contact IT')).toBeDefined();
  });

  it('--write-manifest rewrites only the menus, and the drift check names the fix', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'manifest-'));
    try {
      const file = path.join(dir, 'manifest.json');
      const stale = loadManifestTemplate();
      (stale.bots as Array<Record<string, unknown>>)[0]!.commandLists = [
        { scopes: ['team'], commands: [{ title: 'remind list', description: 'gone' }] },
      ];
      writeFileSync(file, JSON.stringify(stale, null, 2));
      expect(commandListDrift(file)).toMatch(
        /differ from the bot's commands .* npm run package -- --write-manifest$/,
      );
      writeCommandLists(file);
      expect(commandListDrift(file)).toBeNull();
      const rewritten = loadManifestTemplate(file);
      expect({ ...rewritten, bots: null }).toEqual({ ...loadManifestTemplate(), bots: null });
      // Byte for byte what is committed (which \`npm run lint\` holds to Prettier's layout).
      expect(readFileSync(file, 'utf8')).toBe(
        readFileSync(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('validateManifest on a broken manifest', () => {
  it('names the field and the limit when a command title is too long', () => {
    const m = built();
    commandsOf(m, 0)[1]!.title = 'check device and explain everything about it';
    expect(validateManifest(m)).toEqual([
      'bots[0].commandLists[0].commands[1].title: is 44 characters long, the Teams command menu allows at most 32',
    ]);
    commandsOf(m, 0)[1]!.title = 'x'.repeat(130);
    expect(validateManifest(m)).toEqual([
      'bots[0].commandLists[0].commands[1].title: is 130 characters long, at most 128 allowed',
    ]);
  });

  it('reports a bad id, a bad colour, an unknown property and an unfilled placeholder, one line each', () => {
    const m = built();
    m.id = 'not-a-guid';
    m.accentColor = 'blue';
    m.colour = '#ffffff';
    m.version = '${{APP_VERSION}}';
    expect(validateManifest(m)).toEqual([
      '(manifest): unknown property "colour" (not allowed by the schema)',
      'id: "not-a-guid" is not a GUID',
      'accentColor: "blue" is not a colour such as #1F5FAD',
      'version: placeholder ${{APP_VERSION}} was not filled',
    ]);
  });

  it('reports more than 10 commands, a scope the bot lacks and a webApplicationInfo for another app', () => {
    const m = built();
    const list = (m.bots[0]?.commandLists as Array<{ scopes: string[]; commands: unknown[] }>)[0]!;
    list.commands = Array.from({ length: 11 }, (_, i) => ({ title: `cmd ${i}`, description: 'e.g. cmd' }));
    list.scopes = ['team', 'copilot'];
    m.webApplicationInfo = { id: APP_ID, resource: `api://botid-${APP_ID}` };
    expect(validateManifest(m)).toEqual([
      'bots[0].commandLists[0].scopes: "copilot" is not one of the bot\'s scopes',
      'bots[0].commandLists[0].commands: 11 commands, the Teams menu shows at most 10',
      `webApplicationInfo.id: must be the bot id ${BOT_ID}, got "${APP_ID}"`,
      `webApplicationInfo.resource: must be "api://botid-${BOT_ID}", got "api://botid-${APP_ID}"`,
    ]);
  });

  it('refuses a manifest version it has no schema for, and a non-object', () => {
    expect(validateManifest({ ...built(), manifestVersion: '0.9' })[0]).toMatch(
      /^manifestVersion: "0.9" has no schema/,
    );
    expect(validateManifest([])).toEqual(['(manifest): must be a JSON object']);
  });
});

describe('fromDraft04', () => {
  it('rewrites draft-04-only keywords in nested subschemas and leaves property names alone', () => {
    const schema = {
      id: 'root',
      properties: {
        id: { type: 'string' },
        n: { type: 'number', maximum: 5, exclusiveMaximum: true, minimum: 0, exclusiveMinimum: false },
      },
      items: [{ id: 'x' }],
    };
    expect(fromDraft04(schema)).toEqual({
      $id: 'root',
      properties: { id: { type: 'string' }, n: { type: 'number', exclusiveMaximum: 5, minimum: 0 } },
      items: [{ $id: 'x' }],
    });
  });
});

/** A minimal PNG reader: chunks with CRCs checked, IHDR, and the unfiltered pixel rows. */
function readPng(file: string): {
  width: number;
  height: number;
  colorType: number;
  channels: number;
  px: Buffer;
} {
  const data = readFileSync(file);
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let header: Buffer | undefined;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('ascii', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    const crc = data.readUInt32BE(offset + 8 + length);
    expect(crc).toBe(crc32(data.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
  }
  if (!header) throw new Error('no IHDR');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const [bitDepth, colorType, , , interlace] = header.subarray(8);
  expect(bitDepth).toBe(8);
  expect(interlace).toBe(0);
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType ?? -1] ?? 0;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  expect(raw.length).toBe((stride + 1) * height);
  const px = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? px[y * stride + x - channels]! : 0;
      const b = y > 0 ? px[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter ?? 0] ?? 0;
      px[y * stride + x] = (v + predicted) & 0xff;
    }
  }
  return { width, height, colorType: colorType ?? -1, channels, px };
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

describe('the icons', () => {
  it('color.png is a 192×192 full-colour, opaque PNG', () => {
    const png = readPng(path.join(APP_PACKAGE_DIR, 'color.png'));
    expect([png.width, png.height]).toEqual([192, 192]);
    expect([2, 6]).toContain(png.colorType);
    const colours = new Set<string>();
    for (let i = 0; i < png.px.length; i += png.channels) {
      colours.add(png.px.subarray(i, i + 3).toString('hex'));
      if (png.channels === 4) expect(png.px[i + 3]).toBe(255);
    }
    expect(colours.size).toBeGreaterThan(50);
  });

  it('outline.png is a 32×32 RGBA PNG with only white and transparent pixels', () => {
    const png = readPng(path.join(APP_PACKAGE_DIR, 'outline.png'));
    expect([png.width, png.height, png.colorType]).toEqual([32, 32, 6]);
    const alphas: number[] = [];
    for (let i = 0; i < png.px.length; i += 4) {
      const [r, g, b, a] = png.px.subarray(i, i + 4);
      if (a !== 0) expect([r, g, b]).toEqual([255, 255, 255]);
      alphas.push(a ?? 0);
    }
    expect(alphas[0]).toBe(0); // corners are transparent: the shape does not fill the square
    expect(alphas.at(-1)).toBe(0);
    expect(alphas.filter((a) => a === 255).length).toBeGreaterThan(100);
  });
});

describe('the manifest in other languages (localizationInfo)', () => {
  const manifest = () => buildManifest({ botId: BOT_ID, version: '0.1.0' });
  const languages = () => manifestLanguageFiles({ botId: BOT_ID, version: '0.1.0' });

  it('defaults to en-us and names a file for German, French, Spanish and Japanese', () => {
    expect(manifest().localizationInfo).toMatchObject({ defaultLanguageTag: 'en-us' });
    expect(languages().map((l) => [l.languageTag, l.file])).toEqual([
      ['de', 'de.json'],
      ['fr', 'fr.json'],
      ['es', 'es.json'],
      ['ja', 'ja.json'],
    ]);
  });

  it('each file validates against the Teams localization schema and translates the name and every description', () => {
    const english = manifest();
    const description = english.description as { short: string; full: string; features: { title: string }[] };
    for (const lang of languages()) {
      expect({
        file: lang.file,
        errors: validateLanguageFile(lang, String(english.manifestVersion)),
      }).toEqual({
        file: lang.file,
        errors: [],
      });
      const c = lang.content as Record<string, string>;
      expect(c['name.short']).toBe('Jamf Compliance');
      for (const key of ['name.full', 'description.short', 'description.full'])
        expect(c[key]).toEqual(expect.any(String));
      expect(c['description.short']).not.toBe(description.short);
      expect(c['description.full']).not.toBe(description.full);
      description.features.forEach((f, i) => {
        expect(c[`description.features[${i}].title`]).toEqual(expect.any(String));
        expect(c[`description.features[${i}].title`]).not.toBe(f.title);
      });
    }
  });

  it('reports a string over the schema’s limit and an unfilled placeholder', () => {
    const [german] = manifestLanguageFiles(null);
    const errors = validateLanguageFile(
      { ...german!, content: { ...german!.content, 'description.short': 'x'.repeat(81) } },
      String(manifest().manifestVersion),
    );
    expect(errors.join('\n')).toMatch(/de\.json: \/description\.short must NOT have more than 80 characters/);
    expect(errors.join('\n')).toMatch(/de\.json: name\.short has an unfilled placeholder/);
  });
});

describe('packaging', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'teams-package-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a zip with exactly manifest.json, its language files and the two icons at its root, ids filled in', async () => {
    const outFile = path.join(dir, 'out', 'app.zip');
    await packageApp(
      { botId: BOT_ID, appId: APP_ID, version: '0.1.0', domain: 'bot.example.com', nameSuffix: ' (test)' },
      outFile,
    );
    const zip = await JSZip.loadAsync(readFileSync(outFile));
    expect(Object.keys(zip.files).sort()).toEqual([
      'color.png',
      'de.json',
      'es.json',
      'fr.json',
      'ja.json',
      'manifest.json',
      'outline.png',
    ]);
    const german = JSON.parse(await zip.file('de.json')!.async('string')) as Record<string, string>;
    expect(german['name.short']).toBe('Jamf Compliance (test)');
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as TeamsManifest;
    expect(manifest.id).toBe(APP_ID);
    expect((manifest.bots as Array<{ botId: string }>)[0]?.botId).toBe(BOT_ID);
    expect(validateManifest(manifest)).toEqual([]);
    const color = await zip.file('color.png')!.async('nodebuffer');
    expect(color.equals(readFileSync(path.join(APP_PACKAGE_DIR, 'color.png')))).toBe(true);
  });

  it('refuses to write an invalid package and lists the errors', async () => {
    const outFile = path.join(dir, 'app.zip');
    const attempt = packageApp({ botId: 'not-a-guid', version: '0.1.0' }, outFile);
    await expect(attempt).rejects.toBeInstanceOf(ManifestInvalidError);
    await expect(attempt).rejects.toThrow(/bots\[0\]\.botId: "not-a-guid" is not a GUID/);
    expect(existsSync(outFile)).toBe(false);
  });

  it('takes ids from the environment, falling back to the demo bot with a warning', () => {
    const demo = inputsFromEnv({ MICROSOFT_APP_ID: '', BOT_DOMAIN: ' ' }, '0.1.0');
    expect(demo.inputs).toMatchObject({
      botId: DEMO_BOT_ID,
      appId: undefined,
      domain: undefined,
      version: '0.1.0',
    });
    expect(demo.warnings.join()).toContain(DEMO_BOT_ID);
    expect(demo.errors).toEqual([]);
    const real = inputsFromEnv(
      {
        MICROSOFT_APP_ID: BOT_ID,
        TEAMS_APP_ID: APP_ID,
        BOT_DOMAIN: 'b.example.com',
        PUBLIC_URL: 'https://b.example.com',
        PRIVACY_URL: 'https://contoso.example/privacy',
        TERMS_OF_USE_URL: 'https://contoso.example/terms',
      },
      '2.0.0',
    );
    expect(real).toEqual({
      inputs: {
        botId: BOT_ID,
        appId: APP_ID,
        domain: 'b.example.com',
        publicUrl: 'https://b.example.com',
        version: '2.0.0',
        nameSuffix: undefined,
        privacyUrl: 'https://contoso.example/privacy',
        termsOfUseUrl: 'https://contoso.example/terms',
      },
      warnings: [],
      errors: [],
    });
    // The Agents Toolkit's name for the bot id works too.
    expect(inputsFromEnv({ BOT_ID }, '1.0.0').inputs.botId).toBe(BOT_ID);
  });

  it('refuses pages that are not https, and warns when a real bot links to example.com', () => {
    const bad = inputsFromEnv(
      { MICROSOFT_APP_ID: BOT_ID, PRIVACY_URL: 'http://x.example', PUBLIC_URL: 'nope' },
      '1.0.0',
    );
    expect(bad.errors).toEqual([
      'PRIVACY_URL: "http://x.example" is not an https URL — set it to e.g. https://contoso.example/…',
      'PUBLIC_URL: "nope" is not an https URL — set it to e.g. https://contoso.example/…',
    ]);
    expect(bad.warnings.join('\n')).toMatch(/TERMS_OF_USE_URL is not set/);
  });
});
