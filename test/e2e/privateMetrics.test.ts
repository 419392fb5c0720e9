import { Writable } from 'node:stream';
import { createApp, type App } from '../../src/app';
import { configSecrets, loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';

const TOKEN = 'metrics-token-0123456789abcdef-XYZ';

/** Production mode (an app id, so the bot may listen beyond loopback), nothing upstream called. */
const BEYOND_LOOPBACK = {
  HOST: '0.0.0.0',
  MICROSOFT_APP_ID: '4b1f2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  MICROSOFT_APP_PASSWORD: 'bot-password-for-metrics-tests',
  MICROSOFT_APP_TENANT_ID: '11111111-2222-4333-8444-555555555555',
};

interface Running {
  app: App;
  /** The bot's port, reached over loopback (the listener itself is on HOST). */
  base: string;
  metricsUrl?: string;
  lines: Record<string, unknown>[];
  raw: string[];
}

/** Tenant settings pointing nowhere: no test here calls Graph or Jamf. */
const TENANT = {
  TENANT_ID: '11111111-2222-4333-8444-555555555555',
  GRAPH_BASE_URL: 'https://127.0.0.1:9/v1.0',
  GRAPH_AUTHORITY_HOST: 'https://127.0.0.1:9',
  GRAPH_CLIENT_ID: 'graph-client',
  GRAPH_CLIENT_SECRET: 'graph-secret-for-metrics-tests',
  JAMF_URL: 'https://127.0.0.1:9',
  JAMF_CLIENT_ID: 'jamf-client',
  JAMF_CLIENT_SECRET: 'jamf-secret-for-metrics-tests',
  CSV_EXPORT: 'false',
};

async function start(env: Record<string, string>): Promise<Running> {
  const config = loadConfig({ PORT: '0', DATABASE_PATH: ':memory:', LOG_LEVEL: 'info', ...TENANT, ...env });
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      raw.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger({ level: 'info', destination, secrets: () => configSecrets(config) });
  const app = createApp(config, { logger });
  const { port, metricsUrl } = await app.listen();
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    metricsUrl,
    raw,
    get lines() {
      return raw.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
  };
}

const NOTICE =
  /^metrics: \/metrics is not served while the bot listens on 0\.0\.0\.0 — set METRICS_TOKEN .* or METRICS_PORT/;

describe('/metrics is private whenever the bot listens beyond loopback', () => {
  const running: Running[] = [];
  afterAll(async () => {
    await Promise.all(running.map((r) => r.app.close()));
  });
  const run = async (env: Record<string, string>) => {
    const r = await start(env);
    running.push(r);
    return r;
  };

  it('answers 404 with neither METRICS_TOKEN nor METRICS_PORT, and says once at start-up how to turn it on', async () => {
    const bot = await run(BEYOND_LOOPBACK);
    const res = await fetch(`${bot.base}/metrics`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/bot_commands_total/);
    expect((await fetch(`${bot.base}/healthz`)).status).toBe(200);
    const notices = bot.lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('metrics:'));
    expect(notices).toEqual([expect.objectContaining({ level: 40, msg: expect.stringMatching(NOTICE) })]);
  });

  it('with METRICS_TOKEN: refused without the token or with another, served with it; the token never logged', async () => {
    const bot = await run({ ...BEYOND_LOOPBACK, METRICS_TOKEN: TOKEN });
    const get = (authorization?: string) =>
      fetch(`${bot.base}/metrics`, { headers: authorization ? { authorization } : {} });
    const none = await get();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await get(`Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await get(`Bearer ${TOKEN.slice(0, -1)}`)).status).toBe(401);
    expect((await get(`Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`)).status).toBe(401);
    const ok = await get(`Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toMatch(/# TYPE bot_commands_total counter/);
    // No start-up notice (it is turned on), and the token appears in no log line.
    expect(bot.lines.some((l) => String(l.msg).startsWith('metrics:'))).toBe(false);
    expect(bot.raw.join('')).not.toContain(TOKEN);
  });

  it('with METRICS_PORT: served on 127.0.0.1 only, at that port; the public port answers 404', async () => {
    const bot = await run({ ...BEYOND_LOOPBACK, METRICS_PORT: '0' });
    expect(bot.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect((await fetch(`${bot.base}/metrics`)).status).toBe(404);
    const res = await fetch(bot.metricsUrl!);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/# TYPE bot_commands_total counter/);
    // Only /metrics there: not the bot's endpoints.
    expect((await fetch(bot.metricsUrl!.replace('/metrics', '/healthz'))).status).toBe(404);
    expect((await fetch(bot.metricsUrl!, { method: 'POST' })).status).toBe(404);
    expect(bot.lines.some((l) => String(l.msg).startsWith('metrics:'))).toBe(false);
    expect(bot.lines).toContainEqual(
      expect.objectContaining({ msg: `metrics served on ${bot.metricsUrl} (127.0.0.1 only)` }),
    );
  });

  it('stays open on loopback (the demo, local mode), with no notice', async () => {
    const bot = await run({ HOST: '127.0.0.1' });
    const res = await fetch(`${bot.base}/metrics`);
    expect(res.status).toBe(200);
    expect(bot.lines.some((l) => String(l.msg).startsWith('metrics:'))).toBe(false);
  });

  it('open in local mode, but not to a request a proxy or tunnel forwarded', async () => {
    const bot = await run({ HOST: '127.0.0.1' });
    const forwarded: Record<string, string>[] = [
      { 'x-forwarded-for': '203.0.113.9' },
      { 'x-forwarded-host': 'x.devtunnels.ms' },
    ];
    for (const headers of forwarded)
      expect((await fetch(`${bot.base}/metrics`, { headers })).status).toBe(404);
  });

  it('tenant mode on 127.0.0.1 behind a dev tunnel (m365agents.local.yml): 404 without METRICS_TOKEN, and says why', async () => {
    const bot = await run({ ...BEYOND_LOOPBACK, HOST: '127.0.0.1' });
    expect((await fetch(`${bot.base}/metrics`)).status).toBe(404);
    const notices = bot.lines.filter((l) => String(l.msg).startsWith('metrics:'));
    expect(notices).toHaveLength(1);
    expect(String(notices[0]!.msg)).toMatch(/while the bot runs in tenant mode .* set METRICS_TOKEN/);
  });

  it('METRICS_PORT with METRICS_TOKEN: the loopback listener asks for the token too', async () => {
    const bot = await run({ ...BEYOND_LOOPBACK, METRICS_PORT: '0', METRICS_TOKEN: TOKEN });
    const res = await fetch(bot.metricsUrl!);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect((await fetch(bot.metricsUrl!, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
      200,
    );
  });

  it('asks for METRICS_TOKEN on loopback too once it is set', async () => {
    const bot = await run({ HOST: '127.0.0.1', METRICS_TOKEN: TOKEN });
    expect((await fetch(`${bot.base}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${bot.base}/metrics`, { headers: { authorization: `bearer ${TOKEN}` } })).status,
    ).toBe(200);
  });
});
