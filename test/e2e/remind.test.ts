import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PEOPLE, DEMO_TEAM } from '../../demo/demoIdentities';
import { ADMIN, cardActionActivity } from '../helpers/activities';
import {
  adminInChannel,
  cardOf,
  cardText,
  startBot,
  waitUntil,
  type BotHarness,
} from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';

const MEGAN = DEMO_PEOPLE[1]!;

describe('reminder campaigns through the real pipeline (demo tenant, Bot Connector simulator)', () => {
  let bot: BotHarness;
  let dir: string;
  const { say, press } = adminInChannel(() => bot);
  const waitFor = waitUntil;
  const reminders = () =>
    bot.connector.calls.filter(
      (c) =>
        c.method === 'POST' && c.assignedId && cardText(cardOf(c.body ?? undefined)).includes('status.check'),
    );

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remind-'));
    bot = await startBot(
      {
        DATABASE_PATH: path.join(dir, 'bot.sqlite'),
        BROADCAST_MAX_PER_SECOND: '200',
        PROGRESS_UPDATE_SECONDS: '1',
      },
      { size: 120 },
    );
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

  it('preview → Send → every recipient reminded once, progress card updated in place, CSV export', async () => {
    const cardOfPreview = await say('remind preview audience not-registered deadline 2099-12-31');
    const preview = cardText(cardOfPreview);
    expect(preview).toContain('Preview: a reminder to');
    expect(preview).toContain('Not registered');
    expect(preview).toContain('What Megan Bowen will receive');
    expect(preview).toContain('campaign.send');

    const send = (cardOfPreview!.actions as { verb?: string; data?: Record<string, unknown> }[]).find(
      (a) => a.verb === 'campaign.send',
    )!;
    expect(send.data).toMatchObject({ audience: 'not-registered', group: '', deadline: '2099-12-31' });
    const progress = await press('campaign.send', send.data!);
    // Pressed twice (a double click): the same campaign, not a second one.
    const again = await press('campaign.send', send.data!);
    expect(cardText(again)).toContain(String(send.data!.campaignId));
    expect(await bot.app.store.listCampaigns({ limit: 5 })).toHaveLength(1);
    const first = cardText(progress);
    expect(first).toMatch(/Reminder campaign c-[0-9a-f]{8}/);
    const id = /c-[0-9a-f]{8}/.exec(first)![0];
    const store = bot.app.store;
    await waitFor(async () => (await store.getCampaign(id))?.state === 'done');
    const counts = await store.campaignCounts(id);
    expect(counts.pending + counts.inFlight + counts.inDoubt).toBe(0);
    expect(counts.sent).toBeGreaterThan(3);
    expect(counts.sent + Object.values(counts.skipped).reduce((a, b) => a + b, 0)).toBe(counts.total);

    // Each person once; users who never talked to the bot got a 1:1 conversation created.
    expect(bot.connector.duplicates((a) => cardText(a).includes('status.check'))).toEqual([]);
    expect(reminders()).toHaveLength(counts.sent);
    expect(bot.connector.stats.created).toBeGreaterThan(0);
    // /metrics counts the same sends.
    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    expect(metrics).toContain(`broadcast_sends_total{outcome="sent"} ${counts.sent}`);
    const megan = reminders().find(
      (c) => c.conversationId === bot.connector.conversationFor(MEGAN.aadObjectId),
    );
    const card = cardOf(megan!.body ?? undefined)!;
    expect(cardText(card)).toContain('Megan, your Mac needs attention');
    expect(cardText(card)).toContain('Megan’s MacBook Air');
    expect(cardText(card)).toContain('Please fix it by Thursday, 31 December 2099');
    expect(card.actions).toEqual([
      { type: 'Action.Execute', title: 'Check again', verb: 'status.check', data: { campaignId: id } },
    ]);

    // The progress card in the channel was updated in place, and shows the end.
    await waitFor(async () =>
      bot.connector.calls.some(
        (c) =>
          c.method === 'PUT' &&
          c.conversationId === DEMO_TEAM.channel.id &&
          cardText(c.body).includes('— done'),
      ),
    );
    const updates = bot.connector.calls.filter(
      (c) => c.method === 'PUT' && c.conversationId === DEMO_TEAM.channel.id,
    );
    // In place, at most every PROGRESS_UPDATE_SECONDS (1 s here); the final one comes at once.
    const gaps = updates.slice(1).map((u, i) => u.at - updates[i]!.at);
    for (const gap of gaps.slice(0, -1)) expect(gap).toBeGreaterThanOrEqual(900);
    const last = cardOf(updates[updates.length - 1]!.body ?? undefined)!;
    expect(cardText(last)).toContain(`${counts.total} of ${counts.total} (100%)`);

    // Export CSV: an unguessable short-lived link served by the bot itself.
    const exportAction = (last.actions as { type: string; title: string; url?: string }[]).find(
      (a) => a.title === 'Export CSV',
    );
    expect(exportAction?.type).toBe('Action.OpenUrl');
    const res = await fetch(exportAction!.url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const csv = await res.text();
    expect(csv.split('\n')[0]).toBe(
      'recipient_id,name,upn,macs,state,reason,detail,attempts,updated_at,checked_at,compliant_at,days_to_compliant,resent_at',
    );
    expect(csv).toContain(MEGAN.aadObjectId);
    expect(csv.trim().split('\n')).toHaveLength(counts.total + 1);
    const forged = exportAction!.url!.replace(/sig=[^&]+/, 'sig=AAAA');
    expect((await fetch(forged)).status).toBe(404);
    const expired = exportAction!.url!.replace(/expires=\d+/, 'expires=1000');
    expect((await fetch(expired)).status).toBe(404);

    // `campaigns` lists it.
    expect(cardText(await say('campaigns'))).toContain(id);
  }, 60_000);

  it('the funnel: Check again on the reminder is counted once, a Mac turning compliant counts, shown on the cards and in the CSV', async () => {
    const store = bot.app.store;
    const [campaign] = await store.listCampaigns({ limit: 1 });
    const id = campaign!.id;
    const megan = reminders().find(
      (c) => c.conversationId === bot.connector.conversationFor(MEGAN.aadObjectId),
    )!;
    const checkAgain = (data: Record<string, unknown>, replyToId?: string) =>
      bot.post({
        ...cardActionActivity('status.check', data, { from: MEGAN, serviceUrl: bot.connector.serviceUrl }),
        ...(replyToId ? { replyToId } : {}),
      });
    // A reminder sent before the button carried its campaign: the card's activity id finds it.
    expect(await checkAgain({}, megan.assignedId!)).toMatchObject({ status: 200 });
    const firstPress = (await store.campaignEffectivenessInput(id))!.recipients.find(
      (r) => r.recipientId === MEGAN.aadObjectId,
    )!;
    expect(firstPress.checkedAt).not.toBeNull();
    // Pressed again (now with the campaign in the data): still the first press.
    expect(await checkAgain({ campaignId: id })).toMatchObject({ status: 200 });
    const input = (await store.campaignEffectivenessInput(id))!;
    expect(input.recipients.filter((r) => r.checkedAt !== null)).toEqual([firstPress]);
    // The re-check saw her Mac not compliant: its spell is open.
    const macId = firstPress.macIds[0]!;
    expect(input.spells.find((s) => s.jamfId === macId)).toMatchObject({ until: null });

    // Her Mac turns compliant (as the fleet's change feed or the thank-you would record it).
    await store.recordComplianceObservations(
      [{ jamfId: macId, userId: MEGAN.aadObjectId, compliant: true, turnedCompliant: true }],
      new Date().toISOString(),
    );
    const counts = await store.campaignCounts(id);
    const progress = cardText(await say(`campaign ${id}`));
    expect(progress).toContain('Effectiveness');
    expect(progress).toContain('Pressed Check again');
    expect(progress).toMatch(new RegExp(`Compliant within 1 / 3 / 7 days\\n1 / 1 / 1 of ${counts.sent} `));
    expect(progress).toMatch(/Median time to compliance\n(less than a minute|\d+ minutes?)/);
    expect(progress).toContain('Not reminded (baseline)');
    expect(cardText(await say('campaigns'))).toContain(`1 of ${counts.sent} compliant in 7 days`);

    const card = await say(`campaign ${id}`);
    const exportUrl = (card!.actions as { title: string; url?: string }[]).find(
      (a) => a.title === 'Export CSV',
    )!.url!;
    const row = (await (await fetch(exportUrl)).text())
      .split('\n')
      .find((l) => l.startsWith(MEGAN.aadObjectId))!;
    // The funnel's three columns, before `resent_at` (issue 21).
    const [checkedAt, compliantAt, days] = row.split(',').slice(-4, -1);
    expect(checkedAt).toBe(firstPress.checkedAt);
    expect(compliantAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(days).toBe('0.0');
  }, 30_000);

  it('Remind user on the device card: the frequency cap holds; someone compliant by their turn is skipped', async () => {
    // In a channel the posted card is read-only; Teams refreshes it into an admin's full view.
    const adminView = async (text: string) => {
      const posted = await say(text);
      const { data } = (posted!.refresh as { action: { data: Record<string, unknown> } }).action;
      return (await press('device.view', data)) as Record<string, unknown>;
    };
    const device = await adminView('check device C02DEMO0002');
    const remind = (device.actions as { verb?: string; data?: Record<string, unknown> }[]).find(
      (a) => a.verb === 'device.remind',
    );
    expect(remind).toBeDefined();
    // Megan was reminded by the campaign above: capped.
    expect(await press('device.remind', remind!.data!)).toBe(
      'Megan Bowen was not reminded: reminded recently (frequency cap).',
    );
    // A compliant Mac has no Remind button.
    const alex = await adminView('check device C02DEMO0001');
    expect(JSON.stringify(alex.actions)).not.toContain('device.remind');

    // Alex's Mac is compliant in live data: a campaign that still lists him skips him at his turn.
    const c = await bot.app.broadcasts.remindOne(
      {
        recipientId: ADMIN.aadObjectId,
        name: ADMIN.name,
        upn: ADMIN.upn,
        macs: [
          {
            computerId: '1',
            name: 'Alex’s MacBook Pro',
            serialNumber: 'C02DEMO0001',
            verdict: 'not_registered',
          },
        ],
      },
      { teamsUserId: ADMIN.teamsId, aadObjectId: ADMIN.aadObjectId, name: ADMIN.name },
    );
    await waitFor(async () => (await bot.app.store.getCampaign(c.id))?.state === 'done');
    const [row] = await bot.app.store.listOutbox(c.id, { limit: 1 });
    expect(row).toMatchObject({ state: 'skipped', reason: 'now_compliant' });
  });

  it('pause, resume and cancel from the progress card; a second cancel is refused politely', async () => {
    const store = bot.app.store;
    const [latest] = await store.listCampaigns({ limit: 1 });
    // A finished campaign cannot be paused.
    const refused = await press('campaign.pause', { campaignId: latest!.id });
    expect(typeof refused === 'string' ? refused : cardText(refused)).toMatch(
      /did not work|cannot be paused/,
    );
    const c = await store.createCampaign({
      id: 'c-0000beef',
      createdAt: new Date().toISOString(),
      createdBy: { teamsUserId: ADMIN.teamsId, aadObjectId: ADMIN.aadObjectId, name: ADMIN.name },
      audience: 'all',
      groupName: null,
      deadline: null,
      scheduleId: null,
      recipients: [],
    });
    await store.transitionCampaign(c.id, ['running'], 'paused', new Date().toISOString());
    expect(cardText(await press('campaign.resume', { campaignId: c.id }))).toContain('c-0000beef');
    expect(cardText(await press('campaign.cancel', { campaignId: c.id }))).toContain('cancelled');
    expect(
      await bot.post(
        cardActionActivity(
          'campaign.cancel',
          { campaignId: c.id },
          { scope: 'channel', from: ADMIN, serviceUrl: bot.connector.serviceUrl },
        ),
      ),
    ).toMatchObject({ status: 200 });
    const audit = await store.listAudit({ limit: 10 });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['campaign.resume', 'campaign.cancel', 'remind send']),
    );
  });

  it('schedules: a bad cron or zone is explained; a good one is stored, survives a restart, and fires once per due time', async () => {
    expect(cardText(await say('remind schedule "every monday"'))).toContain(
      'not a cron expression I can read',
    );
    expect(cardText(await say('remind schedule "0 9 * * MON" tz Mars/Olympus'))).toContain(
      'not a time zone I know',
    );
    expect(cardText(await say('remind send audience everyone'))).toContain('The audience is one of');
    expect(cardText(await say('remind send deadline 2001-01-01'))).toContain('in the past');
    const ok = cardText(
      await say('remind schedule "0 9 * * MON" tz Europe/Paris deadline-days 7 audience not-registered'),
    );
    expect(ok).toMatch(/Scheduled s-[0-9a-f]{8}/);
    await bot.restart();
    const [s] = await bot.app.store.listSchedules();
    expect(s).toMatchObject({ cron: '0 9 * * MON', timeZone: 'Europe/Paris', deadlineDays: 7 });
    expect(bot.app.broadcasts.schedules.nextRun(s!.id)).not.toBeNull();
    const due = new Date('2026-11-30T08:00:00.000Z');
    expect(await bot.app.broadcasts.schedules.run(s!, due)).toBe(true);
    expect(await bot.app.broadcasts.schedules.run(s!, due)).toBe(false);
    const [fired] = await bot.app.store.listCampaigns({ limit: 1 });
    expect(fired).toMatchObject({ scheduleId: s!.id, deadline: '2026-12-07', audience: 'not-registered' });
    expect(cardText(await say(`remind unschedule ${s!.id}`))).toContain('removed');
    expect(await bot.app.store.listSchedules()).toEqual([]);
  }, 40_000);
});
