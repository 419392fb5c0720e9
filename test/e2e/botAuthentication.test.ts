import { createHmac, createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { startConnectorSimulator, type ConnectorSimulator } from '../../demo/connectorSimulator';
import { startDemoTenant, type DemoTenant } from '../../demo/startDemoTenant';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log';
import { ADMIN, messageActivity } from '../helpers/activities';
import { cardOf, cardText } from '../helpers/botHarness';
import {
  CHANNEL_ISSUER,
  standInSettings,
  startBotFrameworkStandIn,
  type BotFrameworkStandIn,
} from '../helpers/botFrameworkStandIn';

const APP_ID = '4b1f2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const APP_PASSWORD = `bot-password-${randomUUID()}`;

/**
 * Production mode (app id + password set): botbuilder's real JWT validation, with its OpenID
 * metadata and login URLs pointed at a local stand-in that publishes a key generated here.
 */
describe('Bot Framework authentication (production mode, local identity stand-in)', () => {
  let standIn: BotFrameworkStandIn;
  let demo: DemoTenant;
  let app: App;
  let url: string;
  let connector: ConnectorSimulator;
  let consoleError: jest.SpyInstance;
  /** Every line the bot logged, as written. */
  const logLines: string[] = [];

  beforeAll(async () => {
    // CloudAdapter would console.error every refused request; the bot's adapter must not let it.
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    [standIn, demo] = await Promise.all([startBotFrameworkStandIn(), startDemoTenant({ size: 50 })]);
    // With credentials the bot must send its own token: the Bot Framework audience, signed by the
    // login stand-in's key, unexpired (else the connector answers 401, as Teams' does).
    connector = await startConnectorSimulator({
      tenantId: demo.fleet.tenantId,
      expectToken: { audience: 'https://api.botframework.com', publicKey: standIn.publicKey },
    });
    const config = demo.configure(
      loadConfig({
        PORT: '0',
        PLAYGROUND: 'false',
        LOG_LEVEL: 'silent',
        DATABASE_PATH: ':memory:',
        HOST: '127.0.0.1',
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: APP_PASSWORD,
        MICROSOFT_APP_TYPE: 'SingleTenant',
        MICROSOFT_APP_TENANT_ID: demo.fleet.tenantId,
        ADMIN_USER_IDS: ADMIN.aadObjectId,
        ...standInSettings(standIn),
      }),
    );
    config.bot.authCa = standIn.tls.caCert;
    const destination = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logLines.push(chunk.toString());
        cb();
      },
    });
    app = createApp(config, { logger: createLogger({ level: 'info', destination }) });
    ({ url } = await app.listen());
  });
  afterAll(async () => {
    await Promise.all([app.close(), demo.close(), connector.close(), standIn.close()]);
    consoleError.mockRestore();
  });
  beforeEach(() => connector.reset());

  const now = () => Math.floor(Date.now() / 1000);
  const validClaims = (serviceUrl: string) => ({
    iss: CHANNEL_ISSUER,
    aud: APP_ID,
    serviceurl: serviceUrl,
    iat: now() - 10,
    nbf: now() - 10,
    exp: now() + 3600,
  });

  async function post(activity: Record<string, unknown>, authorization?: string) {
    connector.learn(activity); // Teams knows the conversation it posts from
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization === undefined ? {} : { authorization }),
      },
      body: JSON.stringify(activity),
    });
    return { status: res.status, body: await res.text() };
  }

  async function commandsRun(): Promise<number> {
    const text = await app.metrics.render();
    return text
      .split('\n')
      .filter((l) => l.startsWith('bot_commands_total{'))
      .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
  }

  it('accepts a correctly signed token, runs the command and replies with its own token from the login URL', async () => {
    const activity = messageActivity('help', { serviceUrl: connector.serviceUrl });
    const res = await post(activity, `Bearer ${standIn.sign(validClaims(connector.serviceUrl))}`);
    expect(res.status).toBe(200);
    const [sent] = await connector.waitForSent(1);
    expect(cardText(cardOf(sent))).toContain('What I can do for you');
    // The reply went out authenticated, with a token the stand-in's token endpoint issued, which
    // the connector checked (audience, lifetime, signature) before delivering.
    expect(connector.calls[0]?.authorization).toBe(true);
    expect(connector.calls[0]?.status).toBe(201);
    expect(standIn.issued.length).toBeGreaterThan(0);
    expect(standIn.requests).toContain('GET /v1/keys');
  });

  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

  const refused: [string, (serviceUrl: string) => string | undefined][] = [
    ['no Authorization header', () => undefined],
    ['an empty bearer', () => 'Bearer '],
    ['not a JWT', () => 'Bearer not-a-token'],
    [
      'alg: none (unsigned)',
      (s) => `Bearer ${b64({ alg: 'none', typ: 'JWT', kid: 'test-key-1' })}.${b64(validClaims(s))}.`,
    ],
    [
      'a valid token with its signature stripped',
      (s) => `Bearer ${standIn.sign(validClaims(s)).split('.').slice(0, 2).join('.')}.`,
    ],
    [
      'signed with another key under the published kid',
      (s) => `Bearer ${standIn.sign(validClaims(s), { key: otherKey })}`,
    ],
    [
      'signed with an unknown key id',
      (s) => `Bearer ${standIn.sign(validClaims(s), { key: otherKey, kid: 'attacker' })}`,
    ],
    [
      'HS256 with the public key as the secret (algorithm confusion)',
      (s) => {
        // jsonwebtoken refuses to make this token, so it is made by hand: HMAC keyed with the public PEM.
        const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: standIn.kid })}.${b64(validClaims(s))}`;
        const pem = createPublicKey(standIn.privateKey).export({ type: 'spki', format: 'pem' });
        return `Bearer ${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
      },
    ],
    [
      'expired',
      (s) =>
        `Bearer ${standIn.sign({ ...validClaims(s), iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 })}`,
    ],
    [
      'not yet valid',
      (s) => `Bearer ${standIn.sign({ ...validClaims(s), nbf: now() + 3600, exp: now() + 7200 })}`,
    ],
    [
      'for another bot (wrong audience)',
      (s) => `Bearer ${standIn.sign({ ...validClaims(s), aud: randomUUID() })}`,
    ],
    [
      'from another issuer',
      (s) => `Bearer ${standIn.sign({ ...validClaims(s), iss: 'https://evil.example.com' })}`,
    ],
    [
      'for another service URL',
      (s) => `Bearer ${standIn.sign({ ...validClaims(s), serviceurl: 'https://smba.evil.example.com/' })}`,
    ],
    ['a Basic credential', () => `Basic ${Buffer.from(`${APP_ID}:${APP_PASSWORD}`).toString('base64')}`],
  ];

  it.each(refused)('refuses a token that is %s with 401, and runs no command', async (_case, header) => {
    const before = await commandsRun();
    const logged = logLines.length;
    consoleError.mockClear();
    const activity = messageActivity('check device C02DEMO0004', { serviceUrl: connector.serviceUrl });
    const res = await post(activity, header(connector.serviceUrl));
    expect(res.status).toBe(401);
    // Give a (wrongly) started turn time to reach the connector: nothing may arrive.
    await new Promise((r) => setTimeout(r, 100));
    expect(connector.calls).toEqual([]);
    expect(await commandsRun()).toBe(before);
    // One warning with the reason, nothing on the console.
    const lines = logLines.slice(logged).map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, msg: expect.stringMatching(/^refused \/api\/messages: \S/) }),
    ]);
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('logs a refused request as one warning line with its reason and status, with no stack trace', async () => {
    const from = logLines.length;
    consoleError.mockClear();
    const res = await post(messageActivity('help', { serviceUrl: connector.serviceUrl }));
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    const written = logLines.slice(from);
    expect(written).toHaveLength(1);
    const line = JSON.parse(written[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 40, status: 401 });
    expect(line.msg).toMatch(/^refused \/api\/messages: \S/);
    expect(written[0]).not.toMatch(/"stack"|\n\s+at /);
    // Nothing past the bot's log: botbuilder's own console.error (a stack per request) is gone.
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('lets an unrelated console.error through while a refused request is being checked', async () => {
    consoleError.mockClear();
    // Started outside any token check: the app's own (or a library's) output, never dropped.
    const chatter = setInterval(() => console.error('unrelated: something else went wrong'), 1);
    try {
      // An expired token: the one botframework-connector console.errors with its stack.
      const expired = `Bearer ${standIn.sign({ ...validClaims(connector.serviceUrl), iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 })}`;
      const res = await post(messageActivity('help', { serviceUrl: connector.serviceUrl }), expired);
      expect(res.status).toBe(401);
    } finally {
      clearInterval(chatter);
    }
    console.error('unrelated: after the refusal');
    const calls = consoleError.mock.calls.map((c: unknown[]) => String(c[0]));
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.at(-1)).toBe('unrelated: after the refusal');
    // Only those got through: botbuilder's refusal output stayed out.
    expect(calls.filter((c) => !c.startsWith('unrelated:'))).toEqual([]);
  });

  it('does not echo the bot password in any refusal', async () => {
    const res = await post(messageActivity('help', { serviceUrl: connector.serviceUrl }), 'Bearer x.y.z');
    expect(res.status).toBe(401);
    expect(res.body).not.toContain(APP_PASSWORD);
  });
});
