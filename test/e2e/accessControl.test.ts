import { DEMO_TEAM } from '../../demo/demoIdentities';
import { ADMIN, END_USER, cardActionActivity, messageActivity } from '../helpers/activities';
import { cardOf, cardText } from '../helpers/botHarness';
import { startSecureBot, type SecureBot } from '../helpers/securityHarness';

const FOREIGN_TENANT = '99999999-8888-4777-8666-555555555555';
type Scope = 'personal' | 'channel' | 'groupChat';
const SCOPES: Scope[] = ['personal', 'channel', 'groupChat'];

/** A group chat as Teams posts it (the activity helpers know personal and channel). */
function inScope<T extends Record<string, unknown>>(activity: T, scope: Scope): T {
  if (scope !== 'groupChat') return activity;
  const conversation = activity.conversation as { tenantId: string };
  return {
    ...activity,
    conversation: {
      id: '19:meeting-or-group-chat-1@thread.v2',
      conversationType: 'groupChat',
      isGroup: true,
      tenantId: conversation.tenantId,
    },
    channelData: { tenant: { id: conversation.tenantId } },
  };
}

function message(
  bot: SecureBot,
  text: string,
  scope: Scope,
  opts: { from?: typeof ADMIN; tenantId?: string } = {},
) {
  return inScope(
    messageActivity(text, {
      serviceUrl: bot.connector.serviceUrl,
      scope: scope === 'channel' ? 'channel' : 'personal',
      ...opts,
    }),
    scope,
  );
}

function press(
  bot: SecureBot,
  verb: string,
  data: Record<string, unknown>,
  scope: Scope,
  opts: { from?: typeof ADMIN; tenantId?: string } = {},
) {
  return inScope(
    cardActionActivity(verb, data, {
      serviceUrl: bot.connector.serviceUrl,
      scope: scope === 'channel' ? 'channel' : 'personal',
      ...opts,
    }),
    scope,
  );
}

/** The answer in an invoke's HTTP body: `{statusCode, type, value}`. */
const invokeValue = (json: unknown) => json as { statusCode: number; type: string; value: unknown };

describe('who may use the bot: tenant allowlist and admin access, in every scope', () => {
  let bot: SecureBot;
  let computerId: string;
  beforeAll(async () => {
    bot = await startSecureBot();
    computerId = bot.demo.fleet.jamf.computers[0]!.id;
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => {
    bot.connector.reset();
    bot.logLines.length = 0;
  });

  const audit = () => bot.app.store.listAudit({ limit: 100 });

  describe.each(SCOPES)('in a %s conversation', (scope) => {
    it('refuses a message from another tenant: no answer, no command, a log line, no audit entry', async () => {
      const auditBefore = (await audit()).length;
      bot.demo.jamf.requests.clear();
      const res = await bot.post(
        message(bot, 'check device C02DEMO0004', scope, { tenantId: FOREIGN_TENANT }),
      );
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 50));
      expect(bot.connector.calls).toEqual([]);
      expect(bot.demo.jamf.requests.entries).toEqual([]);
      const refusal = bot.logs().find((l) => l.msg === 'refused: activity from a tenant that is not ours');
      expect(refusal).toMatchObject({ tenantId: FOREIGN_TENANT, scope, type: 'message' });
      expect((await audit()).length).toBe(auditBefore);
    });

    it('refuses a card action from another tenant with 403, logged, not audited', async () => {
      const auditBefore = (await audit()).length;
      const res = await bot.post(
        press(bot, 'device.refresh', { computerId }, scope, { tenantId: FOREIGN_TENANT }),
      );
      expect(res.status).toBe(403);
      expect(invokeValue(res.json)).toMatchObject({ statusCode: 403 });
      expect(bot.connector.calls).toEqual([]);
      const refusal = bot.logs().find((l) => l.msg === 'refused: activity from a tenant that is not ours');
      expect(refusal).toMatchObject({ tenantId: FOREIGN_TENANT, scope, type: 'invoke' });
      expect((await audit()).length).toBe(auditBefore);
    });

    it('refuses an admin command to an end user, says so, and audits the refusal', async () => {
      const res = await bot.post(message(bot, 'check device C02DEMO0004', scope, { from: END_USER }));
      expect(res.status).toBe(200);
      const [sent] = await bot.connector.waitForSent(1);
      expect(cardText(cardOf(sent))).toContain('That command is for IT admins');
      const [entry] = await audit();
      expect(entry).toMatchObject({
        action: 'check device',
        outcome: 'refused',
        actor: { aadObjectId: END_USER.aadObjectId },
      });
    });

    it('refuses an admin button pressed by an end user (a forwarded card), and audits it', async () => {
      bot.demo.jamf.requests.clear();
      const res = await bot.post(press(bot, 'device.refresh', { computerId }, scope, { from: END_USER }));
      expect(invokeValue(res.json)).toMatchObject({
        statusCode: 200,
        value: 'Only IT admins can use this button.',
      });
      expect(bot.demo.jamf.requests.entries).toEqual([]);
      const [entry] = await audit();
      expect(entry).toMatchObject({ action: 'device.refresh', outcome: 'refused' });
    });

    it('runs the admin command and the admin button for an admin', async () => {
      await bot.post(message(bot, 'check device C02DEMO0004', scope, { from: ADMIN }));
      const [sent] = await bot.connector.waitForSent(1);
      expect(cardText(cardOf(sent))).not.toContain('for IT admins');
      const res = await bot.post(press(bot, 'device.refresh', { computerId }, scope, { from: ADMIN }));
      expect(invokeValue(res.json)).toMatchObject({
        statusCode: 200,
        type: 'application/vnd.microsoft.card.adaptive',
      });
    });
  });
});

describe('the admin team: speaking in its channels makes an admin there, and nowhere else', () => {
  let bot: SecureBot;
  let computerId: string;
  beforeAll(async () => {
    // No admin users at all: only the team grants admin rights.
    bot = await startSecureBot({}, {}, (c) => ({
      ...c,
      access: {
        ...c.access,
        adminUserIds: [],
        adminTeamId: DEMO_TEAM.id,
        adminTeamChannelId: DEMO_TEAM.channel.id,
      },
    }));
    computerId = bot.demo.fleet.jamf.computers[0]!.id;
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => bot.connector.reset());

  it('lets an end user run admin commands and buttons in the admin channel', async () => {
    await bot.post(message(bot, 'check device C02DEMO0004', 'channel', { from: END_USER }));
    const [sent] = await bot.connector.waitForSent(1);
    expect(cardText(cardOf(sent))).not.toContain('for IT admins');
    const res = await bot.post(press(bot, 'device.refresh', { computerId }, 'channel', { from: END_USER }));
    expect(invokeValue(res.json)).toMatchObject({ type: 'application/vnd.microsoft.card.adaptive' });
  });

  it("posts the channel's device card with a refresh for everyone (no userIds: the bot knows no admin by id), which gives the full card there", async () => {
    await bot.post(message(bot, 'check device C02DEMO0004', 'channel', { from: END_USER }));
    const card = cardOf((await bot.connector.waitForSent(1))[0])!;
    const refresh = card.refresh as {
      action: { verb: string; data: Record<string, unknown> };
      userIds?: unknown;
    };
    expect(refresh.action.verb).toBe('device.view');
    expect(refresh).not.toHaveProperty('userIds');
    const res = await bot.post(press(bot, 'device.view', refresh.action.data, 'channel', { from: END_USER }));
    const full = invokeValue(res.json);
    expect(full.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(full.value)).toContain('"verb":"device.refresh"');
  });

  it.each(['personal', 'groupChat'] as const)('refuses the same person in a %s chat', async (scope) => {
    await bot.post(message(bot, 'check device C02DEMO0004', scope, { from: END_USER }));
    const [sent] = await bot.connector.waitForSent(1);
    expect(cardText(cardOf(sent))).toContain('That command is for IT admins');
    const res = await bot.post(press(bot, 'device.refresh', { computerId }, scope, { from: END_USER }));
    expect(invokeValue(res.json)).toMatchObject({ value: 'Only IT admins can use this button.' });
  });

  it('refuses a channel of another team', async () => {
    const activity = message(bot, 'check device C02DEMO0004', 'channel', { from: END_USER });
    const other = {
      ...activity,
      channelData: { ...activity.channelData, team: { id: '19:other-team@thread.tacv2' } },
    };
    await bot.post(other);
    const [sent] = await bot.connector.waitForSent(1);
    expect(cardText(cardOf(sent))).toContain('That command is for IT admins');
  });
});
