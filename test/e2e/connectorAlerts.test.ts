import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_TEAM } from '../../demo/demoIdentities';
import { messageActivity } from '../helpers/activities';
import { cardOf, cardText, startBot, type BotHarness } from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';

describe('channel alerts: the scheduled connector check against the demo tenant', () => {
  let bot: BotHarness;
  let dir: string;
  const partner = () => bot.demo.fleet.graph.compliancePartners[0]!;
  /** New top-level posts in the admin channel (not replies, not updates). */
  const channelPosts = () =>
    bot.connector.calls.filter(
      (c) => c.method === 'POST' && c.conversationId === DEMO_TEAM.channel.id && c.activityId === null,
    );
  const channelUpdates = () =>
    bot.connector.calls.filter((c) => c.method === 'PUT' && c.conversationId === DEMO_TEAM.channel.id);
  const heal = () => {
    partner().partnerState = 'enabled';
    partner().lastHeartbeatDateTime = new Date(Date.now() - 60_000).toISOString();
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connector-alerts-'));
    bot = await startBot({ DATABASE_PATH: path.join(dir, 'bot.sqlite') });
  });
  afterAll(async () => {
    await bot.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    for (const call of bot.connector.calls) {
      const card = cardOf(call.body ?? undefined);
      if (card) expect(checkCard(card).problems).toEqual([]);
    }
  });

  it('waits for an admin channel: an alert nobody could receive is posted once the bot sees a channel', async () => {
    partner().partnerState = 'unresponsive';
    expect(await bot.app.jobs.checkConnector()).toMatchObject({
      healthy: false,
      decision: 'alert',
      notified: false,
    });
    expect(bot.connector.calls).toHaveLength(0);

    // An @mention in a team channel: the bot stores that channel's reference and answers there.
    await bot.post(messageActivity('help', { scope: 'channel', serviceUrl: bot.connector.serviceUrl }));
    await bot.connector.waitForSent(1);
    bot.connector.reset();

    expect(await bot.app.jobs.checkConnector()).toMatchObject({ decision: 'alert', notified: true });
    expect(channelPosts()).toHaveLength(1);
    heal();
    expect(await bot.app.jobs.checkConnector()).toMatchObject({ healthy: true, decision: 'recovered' });
    expect(channelPosts()).toHaveLength(2);
    bot.connector.reset();
  });

  it('healthy → unresponsive: one alert; no repeat, not even after a restart; healthy again: one recovery', async () => {
    expect(await bot.app.jobs.checkConnector()).toMatchObject({ healthy: true, decision: 'none' });
    expect(bot.connector.calls).toHaveLength(0);

    partner().partnerState = 'unresponsive';
    expect(await bot.app.jobs.checkConnector()).toMatchObject({
      healthy: false,
      problems: ['partner_state'],
      decision: 'alert',
      notified: true,
    });
    expect(channelPosts()).toHaveLength(1);
    const alert = cardText(cardOf(channelPosts()[0]!.body ?? undefined));
    expect(alert).toContain('Jamf connector needs attention');
    expect(alert).toContain('Partner state is unresponsive');
    expect(alert).toContain('What to do');
    expect(alert).toContain('Broken since');

    expect(await bot.app.jobs.checkConnector()).toMatchObject({ decision: 'none', notified: false });
    expect(channelPosts()).toHaveLength(1);

    await bot.restart(); // a new app on the same SQLite file
    expect(await bot.app.jobs.checkConnector()).toMatchObject({ healthy: false, decision: 'none' });
    expect(channelPosts()).toHaveLength(1);

    heal();
    expect(await bot.app.jobs.checkConnector()).toMatchObject({
      healthy: true,
      decision: 'recovered',
      notified: true,
    });
    expect(channelPosts()).toHaveLength(2);
    const recovery = cardText(cardOf(channelPosts()[1]!.body ?? undefined));
    expect(recovery).toContain('Jamf connector is healthy again');
    expect(recovery).toContain('partner state not enabled');

    expect(await bot.app.jobs.checkConnector()).toMatchObject({ healthy: true, decision: 'none' });
    expect(channelPosts()).toHaveLength(2);
    bot.connector.reset();
  });

  it('a stale heartbeat alerts once; when the reasons change the alert is updated in place, not reposted', async () => {
    partner().lastHeartbeatDateTime = new Date(Date.now() - 3 * 3_600_000 - 60_000).toISOString();
    expect(await bot.app.jobs.checkConnector()).toMatchObject({
      problems: ['heartbeat_stale'],
      decision: 'alert',
    });
    expect(channelPosts()).toHaveLength(1);
    expect(cardText(cardOf(channelPosts()[0]!.body ?? undefined))).toContain('Heartbeat 3 hours old');
    const alertId = channelPosts()[0]!.assignedId;

    partner().partnerState = 'unresponsive';
    expect(await bot.app.jobs.checkConnector()).toMatchObject({
      problems: ['partner_state', 'heartbeat_stale'],
      decision: 'update-alert',
      notified: true,
    });
    expect(channelPosts()).toHaveLength(1);
    expect(channelUpdates()).toHaveLength(1);
    expect(channelUpdates()[0]!.activityId).toBe(alertId);
    expect(cardText(cardOf(channelUpdates()[0]!.body ?? undefined))).toContain('the reasons changed');

    heal();
    expect(await bot.app.jobs.checkConnector()).toMatchObject({ decision: 'recovered' });
    expect(channelPosts()).toHaveLength(2);
  });

  it('a Graph failure during the check posts nothing and changes no state', async () => {
    bot.connector.reset();
    const before = await bot.app.store.getAlertState('connector');
    bot.demo.graph.faults.failNext(5, {
      path: '/deviceManagement/complianceManagementPartners',
      status: 403,
    });
    partner().partnerState = 'rejected';
    await expect(bot.app.jobs.checkConnector()).rejects.toThrow();
    expect(bot.connector.calls).toHaveLength(0);
    expect(await bot.app.store.getAlertState('connector')).toEqual(before);
    bot.demo.graph.faults.clear();
    heal();
    expect(await bot.app.jobs.checkConnector()).toMatchObject({ healthy: true, decision: 'none' });
  });
});

describe('channel alerts with ADMIN_CHANNEL_ID', () => {
  const OTHER = '19:demo-channel-alerts@thread.tacv2';
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot({ ADMIN_CHANNEL_ID: OTHER });
  });
  afterAll(async () => {
    await bot.close();
  });

  it('posts only to the configured channel, once the bot has seen it', async () => {
    const inChannel = (id: string) => {
      const a = messageActivity('help', { scope: 'channel', serviceUrl: bot.connector.serviceUrl });
      return {
        ...a,
        conversation: { ...a.conversation, id },
        channelData: { ...a.channelData, channel: { id: id.split(';')[0] } },
      };
    };
    await bot.post(inChannel(DEMO_TEAM.channel.id));
    await bot.connector.waitForSent(1);
    bot.connector.reset();

    bot.demo.fleet.graph.compliancePartners[0]!.partnerState = 'terminated';
    expect(await bot.app.jobs.checkConnector()).toMatchObject({ decision: 'alert', notified: false });
    expect(bot.connector.calls).toHaveLength(0);

    await bot.post(inChannel(`${OTHER};messageid=1700000000000`));
    await bot.connector.waitForSent(1);
    bot.connector.reset();
    expect(await bot.app.jobs.checkConnector()).toMatchObject({ decision: 'alert', notified: true });
    expect(bot.connector.calls.map((c) => [c.method, c.conversationId, c.activityId])).toEqual([
      ['POST', OTHER, null],
    ]);
    expect(cardText(cardOf(bot.connector.calls[0]!.body ?? undefined))).toContain(
      'Partner state is terminated',
    );
  });
});
