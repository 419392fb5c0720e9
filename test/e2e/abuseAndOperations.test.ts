import { END_USER, cardActionActivity, messageActivity } from '../helpers/activities';
import { cardOf, cardText } from '../helpers/botHarness';
import { startSecureBot, type SecureBot } from '../helpers/securityHarness';

const person = (n: number) => ({
  ...END_USER,
  teamsId: `29:person-${n}`,
  aadObjectId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
});
let nextAdmin = 0;

const BOT_PASSWORD = 'bot-password-Zq8!"quoted\\and/slashed';

describe('abuse, bad input and operations, through the public entry point', () => {
  let bot: SecureBot;
  let computerId: string;
  beforeAll(async () => {
    bot = await startSecureBot({ RATE_LIMIT_COMMANDS: '3', RATE_LIMIT_WINDOW_SECONDS: '60' }, {}, (c) => ({
      ...c,
      // A bot password in config (local mode keeps JWT checks off; only redaction is tested here).
      bot: { ...c.bot, appPassword: BOT_PASSWORD },
      // Admins of their own, so that each test has its own rate-limit budget.
      access: {
        ...c.access,
        adminUserIds: Array.from({ length: 20 }, (_, i) => person(100 + i).aadObjectId),
      },
    }));
    computerId = bot.demo.fleet.jamf.computers[0]!.id;
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => {
    bot.connector.reset();
    bot.demo.jamf.faults.clear();
    bot.demo.graph.faults.clear();
  });

  const serviceUrl = () => bot.connector.serviceUrl;
  /** Admins are people 100…119 (a fresh rate-limit budget each); everyone else is an end user. */
  const admin = (n: number) => person(100 + n);
  const invokeValue = (json: unknown) => json as { statusCode: number; type: string; value: unknown };

  it('refuses a body over MAX_BODY_BYTES with 413 and a JSON message, before any turn', async () => {
    const huge = { ...messageActivity('help', { serviceUrl: serviceUrl() }), text: 'x'.repeat(300 * 1024) };
    const res = await bot.post(huge);
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ message: expect.stringMatching(/exceeds|too large/i) });
    expect(bot.connector.calls).toEqual([]);
  });

  it('slows a user down after RATE_LIMIT_COMMANDS, says so once, and leaves others alone', async () => {
    const alice = person(1);
    for (let i = 0; i < 6; i++) {
      const res = await bot.post(messageActivity('help', { from: alice, serviceUrl: serviceUrl() }));
      expect(res.status).toBe(200);
    }
    const sent = await bot.connector.waitForSent(4);
    await new Promise((r) => setTimeout(r, 100));
    expect(bot.connector.sent()).toHaveLength(4); // 3 answers + 1 "slow down", then quiet
    expect(cardText(cardOf(sent[3]))).toMatch(/Let me catch up.*try again in about \d+ seconds/s);
    // A card button from the same person is limited too.
    const press = await bot.post(
      cardActionActivity('device.refresh', { computerId }, { from: alice, serviceUrl: serviceUrl() }),
    );
    expect(invokeValue(press.json).value).toBe('Please wait a moment.');
    // Someone else is not affected.
    await bot.post(messageActivity('help', { from: person(2), serviceUrl: serviceUrl() }));
    const after = await bot.connector.waitForSent(5);
    expect(cardText(cardOf(after[4]))).toContain('Here is what I can help with');
  });

  it.each([
    ['a computer id that is not a number', { computerId: 'abc' }],
    ['an operator object instead of an id', { computerId: { $gt: 0 } }],
    ['no computer id', {}],
    ['an id of absurd length', { computerId: '9'.repeat(500) }],
  ])('answers a card action payload with %s with a clear message, calling nothing', async (_c, data) => {
    bot.demo.jamf.requests.clear();
    const res = await bot.post(
      cardActionActivity('device.refresh', data, { from: admin(nextAdmin++), serviceUrl: serviceUrl() }),
    );
    expect(res.status).toBe(200);
    expect(invokeValue(res.json).value).toMatch(/That button sent something I can't use/);
    expect(bot.demo.jamf.requests.entries).toEqual([]);
    const refusal = bot
      .logs()
      .find((l) => l.msg === 'refused: card action payload does not match its schema');
    expect(refusal).toBeDefined();
  });

  it('serves Prometheus metrics: commands by name and outcome, upstream calls by service and status, broadcasts', async () => {
    const from = admin(nextAdmin++);
    await bot.post(messageActivity('check device C02DEMO0004', { from, serviceUrl: serviceUrl() }));
    await bot.post(messageActivity('connector status', { from, serviceUrl: serviceUrl() }));
    bot.app.metrics.sendFinished('sent');
    bot.app.metrics.sendFinished('failed_permanent');
    const res = await fetch(`${bot.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/bot_commands_total\{command="check device",outcome="ok"\} 1/);
    expect(text).toMatch(
      /bot_commands_total\{command="help",outcome="rate_limited"\}|bot_commands_total\{command="any",outcome="rate_limited"\} \d/,
    );
    expect(text).toMatch(/bot_commands_total\{command="device.refresh",outcome="invalid_payload"\} 4/);
    expect(text).toMatch(/upstream_requests_total\{service="jamf",status="200"\} \d+/);
    expect(text).toMatch(/upstream_requests_total\{service="graph",status="200"\} \d+/);
    expect(text).toMatch(
      /upstream_request_duration_seconds_bucket\{le="0.1",service="graph",status="200"\} \d+/,
    );
    expect(text).toMatch(/broadcast_sends_total\{outcome="sent"\} 1/);
    expect(text).toMatch(/broadcast_sends_total\{outcome="failed_permanent"\} 1/);
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('reports upstream health on /readyz from recent outcomes, without calling upstream', async () => {
    const ready = async () => {
      const res = await fetch(`${bot.url}/readyz`);
      return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
    };
    const readyAdmin = admin(nextAdmin++);
    expect((await ready()).status).toBe(200);
    // Graph fails every request for a while: the command answers with the error card …
    bot.demo.graph.faults.failNext(1000, { status: 503 });
    await bot.post(messageActivity('connector status', { from: readyAdmin, serviceUrl: serviceUrl() }));
    const [sent] = await bot.connector.waitForSent(1, 20_000);
    expect(cardText(cardOf(sent))).toContain('Microsoft Graph (Entra ID and Intune) is having trouble');
    // … and readiness says which service is failing.
    const failing = await ready();
    expect(failing.status).toBe(503);
    expect(failing.body.checks).toMatchObject({ graph: 'failing' });
    // Probes do not touch the simulators (once the failed command's other calls have given up).
    for (let seen = -1; seen !== bot.demo.graph.requests.entries.length;) {
      seen = bot.demo.graph.requests.entries.length;
      await new Promise((r) => setTimeout(r, 1500));
    }
    bot.demo.graph.requests.clear();
    bot.demo.jamf.requests.clear();
    for (let i = 0; i < 10; i++) await ready();
    expect(bot.demo.graph.requests.entries).toEqual([]);
    expect(bot.demo.jamf.requests.entries).toEqual([]);
    // One good answer and it is ready again.
    bot.demo.graph.faults.clear();
    bot.connector.reset();
    await bot.post(messageActivity('connector status', { from: readyAdmin, serviceUrl: serviceUrl() }));
    await bot.connector.waitForSent(1, 20_000);
    expect(await ready()).toMatchObject({ status: 200, body: { checks: { graph: 'ok' } } });
  }, 60_000);

  it('never writes a configured secret to the log, wherever it sits in the line', () => {
    const secrets = [BOT_PASSWORD, bot.config.graph.clientSecret, bot.config.jamf.clientSecret];
    bot.logLines.length = 0;
    bot.logger.info(
      { config: bot.config, deep: { a: { b: { c: secrets } } } },
      `secrets: ${secrets.join(' | ')}`,
    );
    bot.logger.error({ err: new Error(`token request failed for ${bot.config.jamf.clientSecret}`) }, 'oops');
    bot.logger.info({ body: `client_secret=${encodeURIComponent(bot.config.graph.clientSecret)}` }, 'form');
    expect(bot.logLines).toHaveLength(3);
    for (const line of bot.logLines) for (const s of secrets) expect(line).not.toContain(s);
    expect(bot.logLines[0]).toContain('[redacted]');
  });

  it('never puts a secret in a card, with every upstream failing in every way', async () => {
    const secrets = [BOT_PASSWORD, bot.config.graph.clientSecret, bot.config.jamf.clientSecret];
    const from = admin(nextAdmin++);
    bot.demo.jamf.faults.failNext(2, { status: 401 });
    bot.demo.graph.faults.expireTokensNow();
    bot.demo.graph.faults.failNext(3, { target: 'token', status: 401 });
    await bot.post(messageActivity('check device C02DEMO0004', { from, serviceUrl: serviceUrl() }));
    await bot.post(messageActivity('connector status', { from, serviceUrl: serviceUrl() }));
    await bot.post(
      messageActivity(`check device ${bot.config.jamf.clientSecret}`, { from, serviceUrl: serviceUrl() }),
    );
    const sent = await bot.connector.waitForSent(3, 30_000);
    for (const activity of sent) {
      const text = JSON.stringify(activity);
      for (const s of secrets.slice(0, 2)) expect(text).not.toContain(s);
    }
    for (const line of bot.logLines) for (const s of secrets) expect(line).not.toContain(s);
  }, 60_000);
});
