import { DEMO_JAMF_GROUP_NAMES } from '../../demo/demoFleetIds';
import type { AuditEntry } from '../../src/store/botStore';
import { ADMIN, END_USER, cardActionActivity } from '../helpers/activities';
import {
  askCard,
  cardOf,
  cardText,
  expectSentCardsValid,
  startBot,
  type BotHarness,
} from '../helpers/botHarness';
import { checkJamfRequest } from '../helpers/checkJamfRequest';
import { checkCard } from '../helpers/validateCard';

/**
 * `setup webhooks` through /api/messages against the demo tenant: the plan card, Apply creating
 * the three webhooks in the simulated Jamf Pro (Classic API, requests checked against the
 * contract), a second Apply changing nothing, non-admins refused, every change audited, and the
 * secret in no card, audit entry or Jamf request log.
 */
const SECRET = 'e2e-webhook-secret-0123456789abcdef-XYZ';
const PUBLIC_URL = 'https://bot.example.com';
type Card = Record<string, unknown>;

function actionData(card: Card | undefined, verb: string): Record<string, unknown> | undefined {
  const actions = (card?.actions ?? []) as { verb?: string; data?: Record<string, unknown> }[];
  return actions.find((a) => a.verb === verb)?.data;
}

async function press(bot: BotHarness, verb: string, data: Record<string, unknown>, from = ADMIN) {
  const res = await bot.post(cardActionActivity(verb, data, { from, serviceUrl: bot.connector.serviceUrl }));
  expect(res.status).toBe(200);
  return res.body as { statusCode: number; type: string; value: unknown };
}

const jamfWrites = (bot: BotHarness) =>
  bot.demo.jamf.requests.entries.filter((e) => e.method !== 'GET' && !e.path.includes('/oauth/token'));

async function auditSince(bot: BotHarness, id: number): Promise<AuditEntry[]> {
  return (await bot.app.store.listAudit({ limit: 100 })).filter((e) => e.id > id).reverse();
}
const lastAuditId = async (bot: BotHarness) => (await bot.app.store.listAudit({ limit: 1 }))[0]?.id ?? 0;

describe('setup webhooks', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    checkCard({ type: 'AdaptiveCard', version: '1.5', body: [] });
    bot = await startBot({ PUBLIC_URL, JAMF_WEBHOOK_SECRET: SECRET }, { size: 60 });
  });
  afterAll(() => bot.close());
  beforeEach(() => {
    bot.connector.reset();
    bot.demo.jamf.requests.clear();
  });
  afterEach(() => {
    expectSentCardsValid(bot);
    expect(JSON.stringify(bot.connector.sent())).not.toContain(SECRET);
    expect(JSON.stringify(bot.demo.jamf.requests.entries)).not.toContain(SECRET);
    expect(bot.demo.jamf.requests.entries.flatMap(checkJamfRequest)).toEqual([]);
  });

  let planId = '';

  it('is refused to a non-admin', async () => {
    const before = await lastAuditId(bot);
    const card = await askCard(bot, 'setup webhooks', END_USER);
    expect(cardText(card)).not.toContain('Jamf Pro webhooks');
    expect(jamfWrites(bot)).toEqual([]);
    expect(bot.demo.jamf.webhooks.stored()).toEqual([]);
    const [refusal] = await auditSince(bot, before);
    expect(refusal).toMatchObject({ outcome: 'refused', actor: { aadObjectId: END_USER.aadObjectId } });
  });

  it('plans three webhooks to create and writes nothing', async () => {
    const before = await lastAuditId(bot);
    const card = await askCard(bot, 'setup webhooks', ADMIN);
    const text = cardText(card);
    expect(text).toContain('Jamf Pro webhooks: 3 changes to apply');
    expect(text).toContain(`${PUBLIC_URL}/api/webhooks/jamf`);
    expect(text).toContain('Header X-Jamf-Webhook-Secret');
    expect(text.match(/➕ Create/g)).toHaveLength(3);
    expect(text).toContain(DEMO_JAMF_GROUP_NAMES.compliance);
    planId = String(actionData(card, 'webhooks.apply')?.planId ?? '');
    expect(planId).toMatch(/^[0-9a-f-]{36}$/);
    expect(jamfWrites(bot)).toEqual([]);
    const [planned] = await auditSince(bot, before);
    expect(planned).toMatchObject({ action: 'setup webhooks', outcome: 'planned', details: { planId } });
    expect(JSON.stringify(planned)).not.toContain(SECRET);
  });

  it('Apply creates them through the Classic API, each audited; the card says so', async () => {
    const before = await lastAuditId(bot);
    const res = await press(bot, 'webhooks.apply', { planId });
    const card = (res.value as Card | undefined) ?? cardOf(bot.connector.sent().at(-1));
    const text = cardText(card);
    expect(text).toContain('Jamf Pro webhooks are set up');
    expect(text.match(/✅ Created/g)).toHaveLength(3);
    expect(actionData(card, 'webhooks.apply')).toBeUndefined();
    expect(jamfWrites(bot).map((e) => `${e.method} ${e.path}`)).toEqual(
      Array(3).fill('POST /JSSResource/webhooks/id/0'),
    );
    const stored = bot.demo.jamf.webhooks.stored();
    const group = bot.demo.fleet.jamf.smartGroups.find((g) => g.name === DEMO_JAMF_GROUP_NAMES.compliance);
    expect(stored.map((w) => [w.event, w.url, w.authentication_type, w.enabled, w.smart_group_id])).toEqual([
      ['ComputerAdded', `${PUBLIC_URL}/api/webhooks/jamf`, 'HEADER', true, -1],
      ['ComputerInventoryCompleted', `${PUBLIC_URL}/api/webhooks/jamf`, 'HEADER', true, -1],
      [
        'SmartGroupComputerMembershipChange',
        `${PUBLIC_URL}/api/webhooks/jamf`,
        'HEADER',
        true,
        Number(group?.id),
      ],
    ]);
    for (const w of stored) expect(JSON.parse(w.header)).toEqual({ 'X-Jamf-Webhook-Secret': SECRET });
    const entries = await auditSince(bot, before);
    expect(entries.map((e) => [e.action, e.outcome])).toEqual([
      ['webhooks.apply', 'created'],
      ['webhooks.apply', 'created'],
      ['webhooks.apply', 'created'],
      ['webhooks.apply', 'applied'],
    ]);
    expect(JSON.stringify(entries)).not.toContain(SECRET);
  });

  it('a second Apply changes nothing', async () => {
    const before = await lastAuditId(bot);
    const res = await press(bot, 'webhooks.apply', { planId });
    const text = cardText(res.value);
    expect(text).toContain('Nothing changed: the webhooks were already set up');
    expect(jamfWrites(bot)).toEqual([]);
    expect(bot.demo.jamf.webhooks.stored()).toHaveLength(3);
    const entries = await auditSince(bot, before);
    expect(entries.map((e) => e.outcome)).toEqual(['applied']);
  });

  it('a webhook changed in Jamf Pro is planned as an update, and Apply puts it right', async () => {
    const [first] = bot.demo.jamf.webhooks.stored();
    const client = bot.app.jamf;
    const w = await client.getWebhook(String(first?.id));
    await client.updateWebhook(String(first?.id), {
      ...w!,
      url: 'https://elsewhere.example/hook',
      enabled: false,
    });
    bot.demo.jamf.requests.clear();
    const card = await askCard(bot, 'setup webhooks', ADMIN);
    const text = cardText(card);
    expect(text).toContain('Jamf Pro webhooks: 1 change to apply');
    expect(text).toContain('➕ Change: enable it, address');
    const res = await press(bot, 'webhooks.apply', {
      planId: String(actionData(card, 'webhooks.apply')?.planId),
    });
    expect(cardText(res.value)).toContain('✅ Updated');
    expect(jamfWrites(bot).map((e) => `${e.method} ${e.path}`)).toEqual([
      `PUT /JSSResource/webhooks/id/${first?.id}`,
    ]);
    expect(bot.demo.jamf.webhooks.stored()[0]).toMatchObject({
      url: `${PUBLIC_URL}/api/webhooks/jamf`,
      enabled: true,
    });
  });
});
