import { DEMO_PEOPLE } from '../../demo/demoIdentities';
import {
  adminInChannel,
  cardOf,
  cardText,
  startBot,
  waitUntil,
  type BotHarness,
} from '../helpers/botHarness';

const MEGAN = DEMO_PEOPLE[1]!;
const INSTALL = 'POST /users/{id}/teamwork/installedApps';

/**
 * Reminder recipients who do not have the app: Teams (the connector simulator) refuses their
 * 1:1, the bot installs the app through Graph (the Graph simulator, sharing the demo tenant's
 * install set) and sends to the chat that opened — once; the conversation is stored, so the next
 * campaign sends directly.
 */
describe('reminders to users without the app: proactive install through Graph', () => {
  let bot: BotHarness;
  const { say, press } = adminInChannel(() => bot);
  const waitFor = waitUntil;
  /** Runs a not-registered campaign through preview → Send and waits for it to finish. */
  const campaign = async (): Promise<string> => {
    const preview = await say('remind preview audience not-registered');
    const send = (preview!.actions as { verb?: string; data?: Record<string, unknown> }[]).find(
      (a) => a.verb === 'campaign.send',
    )!;
    const id = /c-[0-9a-f]{8}/.exec(cardText(await press('campaign.send', send.data!)))![0];
    await waitFor(async () => (await bot.app.store.getCampaign(id))?.state === 'done');
    return id;
  };
  /**
   * Reminder cards delivered, per chat: a user's 1:1 is one chat whether the bot names it by the
   * Graph chat id an install returned or by the `a:` id (the connector's canonical `chat`).
   */
  const reminders = () => {
    const out = new Map<string, number>();
    for (const c of bot.connector.calls) {
      if (c.method !== 'POST' || !c.assignedId || c.activityId) continue;
      if (!cardText(cardOf(c.body ?? undefined)).includes('status.check')) continue;
      out.set(c.chat!, (out.get(c.chat!) ?? 0) + 1);
    }
    return out;
  };
  const installs = () => bot.demo.graph.requests.entries.filter((e) => e.endpoint === INSTALL);

  beforeAll(async () => {
    bot = await startBot(
      { BROADCAST_MAX_PER_SECOND: '200', REMINDER_FREQUENCY_DAYS: '0', PROGRESS_UPDATE_SECONDS: '1' },
      { size: 120 },
    );
  });
  afterAll(() => bot.close());

  it('installs for those without the app, reminds each once, stores the chat; a refused install fails clearly; a 409 counts as installed', async () => {
    const { teamsApps } = bot.demo;
    // Nobody but Megan has the app. Teams still refuses Megan's 1:1 once (the app arrived in
    // between, say): Graph then answers her install with 409, and she is reached all the same.
    teamsApps.uninstall(
      ...bot.demo.fleet.graph.users.map((u) => u.id).filter((id) => id !== MEGAN.aadObjectId),
    );
    bot.connector.fault({
      operation: 'create',
      memberAadObjectId: MEGAN.aadObjectId,
      status: 403,
      code: 'BotNotInConversationRoster',
      times: 1,
    });
    // The tenant refuses one install (someone other than Megan).
    bot.demo.graph.faults.failNext(1, {
      method: 'POST',
      path: new RegExp(`^/users/(?!${MEGAN.aadObjectId})[^/]+/teamwork/installedApps$`),
      status: 403,
    });

    const store = bot.app.store;
    const first = await campaign();
    const counts = await store.campaignCounts(first);
    expect(counts.pending + counts.inFlight + counts.inDoubt).toBe(0);
    expect(counts.failed).toEqual({ install_refused: 1 });
    expect(counts.sent).toBeGreaterThan(3);
    const rows = await store.listOutbox(first, { limit: 1000 });
    const refused = rows.find((r) => r.state === 'failed')!;
    expect(refused).toMatchObject({ reason: 'install_refused' });
    expect(refused.detail).toMatch(/403/);

    // Every sent recipient: Teams refused the 1:1 first, then Graph installed (201; Megan 409).
    const sentIds = rows.filter((r) => r.state === 'sent').map((r) => r.recipientId);
    const byUser = new Map(installs().map((e) => [e.path.split('/')[2], e.status]));
    expect(installs()).toHaveLength(sentIds.length + 1);
    for (const id of sentIds) expect(byUser.get(id)).toBe(id === MEGAN.aadObjectId ? 409 : 201);
    expect(byUser.get(refused.recipientId)).toBe(403);
    expect(teamsApps.isInstalledFor(refused.recipientId)).toBe(false);

    // Reminded exactly once each, in the chat the install opened; nothing to the refused user.
    const got = reminders();
    for (const id of sentIds) expect(got.get(bot.connector.conversationFor(id))).toBe(1);
    expect(got.get(bot.connector.conversationFor(refused.recipientId))).toBeUndefined();
    expect([...got.values()].reduce((a, b) => a + b, 0)).toBe(sentIds.length);
    // Stored for next time: the Graph chat id the install returned (`19:…@unq.gbl.spaces`), which
    // the Bot Connector accepts as the conversation id of the user's 1:1.
    for (const id of sentIds) {
      expect(await store.findPersonalConversation(id)).toMatchObject({
        conversationId: teamsApps.chatId(id),
      });
      expect(teamsApps.chatId(id)).toMatch(/^19:.+@unq\.gbl\.spaces$/);
    }

    // A second campaign sends directly: no create-conversation, no install — except the user whose
    // install was refused, who still has no conversation and is tried again (and now gets it).
    const createsBefore = bot.connector.stats.created;
    const createCallsBefore = bot.connector.calls.filter(
      (c) => c.method === 'POST' && c.path === '/v3/conversations',
    ).length;
    const installsBefore = installs().length;
    const second = await campaign();
    expect(await store.campaignCounts(second)).toMatchObject({ sent: sentIds.length + 1, failed: {} });
    const newInstalls = installs().slice(installsBefore);
    expect(newInstalls.map((e) => [e.path.split('/')[2], e.status])).toEqual([[refused.recipientId, 201]]);
    expect(bot.connector.stats.created).toBe(createsBefore);
    const createCalls = bot.connector.calls.filter(
      (c) => c.method === 'POST' && c.path === '/v3/conversations',
    );
    expect(createCalls.length - createCallsBefore).toBe(1); // the refused user's 1:1, refused again by Teams
    const after = reminders();
    for (const id of sentIds) expect(after.get(bot.connector.conversationFor(id))).toBe(2);
    expect(after.get(bot.connector.conversationFor(refused.recipientId))).toBe(1);
  }, 60_000);
});

describe('reminders with PROACTIVE_INSTALL=false', () => {
  let bot: BotHarness;
  const { say, press } = adminInChannel(() => bot);
  beforeAll(async () => {
    bot = await startBot(
      {
        PROACTIVE_INSTALL: 'false',
        BROADCAST_MAX_PER_SECOND: '200',
        REMINDER_FREQUENCY_DAYS: '0',
        PROGRESS_UPDATE_SECONDS: '1',
      },
      { size: 120 },
    );
  });
  afterAll(() => bot.close());

  it('never installs: users without the app fail as not_installed, the others are reminded', async () => {
    bot.demo.teamsApps.uninstall(
      ...bot.demo.fleet.graph.users.map((u) => u.id).filter((id) => id !== MEGAN.aadObjectId),
    );
    const preview = await say('remind preview audience not-registered');
    const send = (preview!.actions as { verb?: string; data?: Record<string, unknown> }[]).find(
      (a) => a.verb === 'campaign.send',
    )!;
    const id = /c-[0-9a-f]{8}/.exec(cardText(await press('campaign.send', send.data!)))![0];
    const store = bot.app.store;
    await waitUntil(async () => (await store.getCampaign(id))?.state === 'done');
    const counts = await store.campaignCounts(id);
    expect(counts.sent).toBe(1); // Megan, who has the app
    expect(counts.failed.not_installed).toBeGreaterThan(0);
    expect(counts.failed.install_refused ?? 0).toBe(0);
    expect(bot.demo.graph.requests.entries.filter((e) => e.endpoint === INSTALL)).toEqual([]);
  }, 60_000);
});
