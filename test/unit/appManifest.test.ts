import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import JSZip from 'jszip';
import { DEMO_BOT_ID } from '../../demo/demoIdentities';
import {
  APP_PACKAGE_DIR,
  buildManifest,
  fromDraft04,
  loadManifestTemplate,
  schemaPath,
  schemaVersions,
  validateManifest,
  type TeamsManifest,
} from '../../src/teams/appManifest';
import { inputsFromEnv, ManifestInvalidError, packageApp } from '../../scripts/package';

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

  it('offers the admin commands in teams and the end-user commands in 1:1', () => {
    const m = built();
    const bot = m.bots[0] as { scopes: string[]; supportsFiles: boolean; isNotificationOnly: boolean };
    expect(bot.scopes).toEqual(expect.arrayContaining(['personal', 'team']));
    expect(bot.supportsFiles).toBe(true);
    expect(bot.isNotificationOnly).toBe(false);
    expect(commandsOf(m, 0).map((c) => c.title)).toEqual([
      'help',
      'check device',
      'connector status',
      'ca audit',
      'onboard group',
      'rollout',
      'remind',
      'audit',
    ]);
    expect(commandsOf(m, 1).map((c) => c.title)).toEqual([
      'status',
      'help',
      'registration help',
      'contact IT',
      'check device',
    ]);
    for (const c of [...commandsOf(m, 0), ...commandsOf(m, 1)]) expect(c.description).toMatch(/e\.g\. \S/);
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
    list.scopes = ['team', 'groupChat'];
    m.webApplicationInfo = { id: APP_ID, resource: `api://botid-${APP_ID}` };
    expect(validateManifest(m)).toEqual([
      'bots[0].commandLists[0].scopes: "groupChat" is not one of the bot\'s scopes',
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

describe('packaging', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'teams-package-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a zip with exactly manifest.json and the two icons at its root, ids filled in', async () => {
    const outFile = path.join(dir, 'out', 'app.zip');
    await packageApp({ botId: BOT_ID, appId: APP_ID, version: '0.1.0', domain: 'bot.example.com' }, outFile);
    const zip = await JSZip.loadAsync(readFileSync(outFile));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
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
    expect(demo.inputs).toEqual({
      botId: DEMO_BOT_ID,
      appId: undefined,
      domain: undefined,
      version: '0.1.0',
    });
    expect(demo.warnings.join()).toContain(DEMO_BOT_ID);
    const real = inputsFromEnv(
      { MICROSOFT_APP_ID: BOT_ID, TEAMS_APP_ID: APP_ID, BOT_DOMAIN: 'b.example.com' },
      '2.0.0',
    );
    expect(real).toEqual({
      inputs: { botId: BOT_ID, appId: APP_ID, domain: 'b.example.com', version: '2.0.0' },
      warnings: [],
    });
  });
});
