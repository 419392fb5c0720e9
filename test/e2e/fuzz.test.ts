import fc from 'fast-check';
import { DEMO_BOT_ID, DEMO_TENANT_ID } from '../../demo/demoIdentities';
import { ADMIN, END_USER, cardActionActivity, messageActivity } from '../helpers/activities';
import { startSecureBot, type SecureBot } from '../helpers/securityHarness';

/**
 * Property-based abuse through the public entry point (real HTTP POSTs to /api/messages):
 * random and hostile texts, huge strings, malformed activities and malformed card payloads.
 * Zero crashes, zero unhandled rejections, and every message is answered or refused with a
 * reason. Run counts keep the file well under a minute on a shared 2-core machine.
 */
describe('fuzzing /api/messages', () => {
  let bot: SecureBot;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  let n = 0;

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    bot = await startSecureBot({ RATE_LIMIT_COMMANDS: '10000', LOG_LEVEL: 'warn' }, { size: 60 });
  });
  afterAll(async () => {
    await bot?.close();
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
  });
  afterEach(async () => {
    // A turn that failed late would surface here.
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
  });

  const NASTY = [
    '<at>Jamf Compliance</at>',
    '<at></at><at>',
    '${computerId}',
    '${$root.secret}',
    '**bold** [link](javascript:alert(1))',
    "'; DROP TABLE audit; --",
    'hardware.serialNumber=="*"',
    "O'Brien' or 1 eq 1 or '",
    '\u0000\u0001\u001f',
    '\u202e\u200f\u200b\ufeff',
    '👩🏽‍💻🏳️‍🌈'.repeat(50),
    'check device ',
    'check device \u00a0\u00a0',
    'CHECK   DEVICE   c02demo0004',
    'help help help',
    '&nbsp;&nbsp;',
    '%s%s%n',
    '{"__proto__":{"isAdmin":true}}',
  ];
  const COMMAND_WORDS = [
    'check device',
    'check mac',
    'connector status',
    'ca audit',
    'rollout',
    'help',
    'hlep',
  ];
  const text = fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
    { weight: 2, arbitrary: fc.constantFrom(...NASTY) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...COMMAND_WORDS), fc.string({ unit: 'grapheme', maxLength: 40 }))
        .map(([c, rest]) => `${c} ${rest}`),
    },
    // Longer than the bot reads, up to well over what Teams allows (still under the body limit).
    { weight: 1, arbitrary: fc.integer({ min: 2_001, max: 60_000 }).map((len) => 'C02X'.repeat(len / 4)) },
  );

  it('answers every random, unicode, hostile or huge text (or refuses it with a reason)', async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.boolean(), fc.boolean(), async (t, asAdmin, inChannel) => {
        const id = `fuzz-${n++}`;
        const activity = messageActivity(t, {
          from: asAdmin ? ADMIN : END_USER,
          scope: inChannel ? 'channel' : 'personal',
          serviceUrl: bot.connector.serviceUrl,
        });
        const conversation = { ...activity.conversation, id: `a:${id}` };
        const res = await bot.post({ ...activity, conversation });
        expect(res.status).toBe(200);
        const stripped = t
          .replace(/<at>[^<]*<\/at>/gi, ' ')
          .replace(/&nbsp;/g, ' ')
          .trim();
        if (stripped !== '') {
          // The turn is over when the POST returns: its answer has been sent.
          expect(bot.connector.calls.some((c) => c.conversationId === `a:${id}`)).toBe(true);
        }
      }),
      { numRuns: 800 },
    );
  }, 120_000);

  /** Activity fields as they are, or replaced by anything JSON can carry. */
  const anyJson = fc.jsonValue({ maxDepth: 3 });
  const maybe = <T>(good: T) => fc.oneof(fc.constant(good), anyJson, fc.constant(undefined));

  it('refuses malformed activities with a reason, or handles them; never a crash', async () => {
    const good = messageActivity('help', { serviceUrl: 'x' });
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          type: fc.oneof(
            fc.constantFrom(
              'message',
              'invoke',
              'conversationUpdate',
              'installationUpdate',
              'event',
              'typing',
              '',
            ),
            anyJson,
          ),
          text: maybe('help'),
          name: fc.oneof(
            fc.constantFrom('adaptiveCard/action', 'task/fetch', 'composeExtension/query'),
            anyJson,
          ),
          from: maybe(good.from),
          recipient: maybe({ id: `28:${DEMO_BOT_ID}` }),
          conversation: maybe(good.conversation),
          channelData: maybe({ tenant: { id: DEMO_TENANT_ID } }),
          channelId: maybe('msteams'),
          entities: maybe([{ type: 'mention', text: '<at>x</at>', mentioned: { id: `28:${DEMO_BOT_ID}` } }]),
          value: anyJson,
          action: maybe('add'),
        }),
        async (fields) => {
          const activity = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
          const res = await bot.post({ ...activity, serviceUrl: bot.connector.serviceUrl, id: `f:${n++}` });
          // Handled (2xx) or refused with a reason (4xx with a body); a 5xx would be a crash —
          // except botbuilder's 501 for invoke names the bot does not implement (task/fetch, …).
          const unimplemented = fields.type === 'invoke' && fields.name !== 'adaptiveCard/action';
          if (!(unimplemented && res.status === 501)) expect(res.status).toBeLessThan(500);
          if (res.status >= 400 && res.status < 500) expect(res.text.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 800 },
    );
  }, 120_000);

  it('answers malformed card action payloads with a message or a card; never a crash', async () => {
    const computerId = bot.demo.fleet.jamf.computers[0]!.id;
    const verbs = ['device.refresh', 'device.check', 'connector.refresh', 'ca.refresh', 'rollout.refresh'];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...verbs), fc.string({ maxLength: 30 })),
        fc.oneof(
          fc.constant({ computerId }),
          fc.record({ computerId: fc.oneof(fc.string({ maxLength: 30 }), anyJson) }),
          fc.dictionary(fc.string({ maxLength: 10 }), anyJson, { maxKeys: 5 }),
        ),
        fc.oneof(fc.constant(undefined), anyJson),
        fc.boolean(),
        async (verb, data, rawValue, asAdmin) => {
          const activity = cardActionActivity(verb, data as Record<string, unknown>, {
            from: asAdmin ? ADMIN : END_USER,
            serviceUrl: bot.connector.serviceUrl,
          });
          // Sometimes the whole `value` is garbage, not just the data.
          const body = rawValue === undefined ? activity : { ...activity, value: rawValue };
          const res = await bot.post(body);
          expect(res.status).toBeLessThan(500);
          const answer = res.json as { statusCode?: number; value?: unknown } | null;
          expect(answer?.value ?? answer).toBeTruthy();
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);
});
