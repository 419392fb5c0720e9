import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CampaignRecipient, NewCampaign } from '../../src/store/campaignStore';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';

const T0 = '2026-11-20T10:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();
const actor = { teamsUserId: '29:admin', aadObjectId: 'admin-oid', name: 'Admin' };
const recipient = (i: number): CampaignRecipient => ({
  recipientId: `user-${i}`,
  name: `User ${i}`,
  upn: `user${i}@example.com`,
  macs: [{ computerId: String(i), name: `Mac ${i}`, serialNumber: `C02${i}`, verdict: 'not_registered' }],
});
const campaign = (id: string, n: number, createdAt = T0): NewCampaign => ({
  id,
  createdAt,
  createdBy: actor,
  audience: 'all',
  groupName: null,
  deadline: '2026-12-01',
  scheduleId: null,
  recipients: Array.from({ length: n }, (_, i) => recipient(i)),
});
const claim = (store: SqliteBotStore, owner: string, limit: number, now = T0) =>
  store.claimOutbox({ owner, now, leaseUntil: at(300), limit });

describe('campaign outbox state machine (SQLite)', () => {
  let store: SqliteBotStore;
  beforeEach(() => {
    store = SqliteBotStore.open(':memory:');
  });
  afterEach(() => store.close());

  it('creates a running campaign with one pending row per recipient, and counts them', async () => {
    const c = await store.createCampaign(campaign('c1', 3));
    expect(c).toMatchObject({ id: 'c1', state: 'running', deadline: '2026-12-01', progressCard: null });
    expect(await store.campaignCounts('c1')).toEqual({
      total: 3,
      pending: 3,
      inFlight: 0,
      sent: 0,
      inDoubt: 0,
      failed: {},
      skipped: {},
    });
    const rows = await store.listOutbox('c1', { limit: 10 });
    expect(rows.map((r) => r.recipient)).toEqual([recipient(0), recipient(1), recipient(2)]);
  });

  it('claims each row once: two owners never get the same row', async () => {
    await store.createCampaign(campaign('c1', 5));
    const a = await claim(store, 'A', 3);
    const b = await claim(store, 'B', 3);
    expect(a.map((r) => r.recipientId)).toEqual(['user-0', 'user-1', 'user-2']);
    expect(b.map((r) => r.recipientId)).toEqual(['user-3', 'user-4']);
    expect(a.every((r) => r.state === 'claimed' && r.leaseOwner === 'A')).toBe(true);
    expect(await claim(store, 'C', 3)).toEqual([]);
  });

  it('pending → claimed → sending → sent; only the owner moves its rows', async () => {
    await store.createCampaign(campaign('c1', 1));
    await claim(store, 'A', 1);
    expect(await store.markSending('c1', 'user-0', 'B', T0)).toBe(false);
    expect(await store.markSending('c1', 'user-0', 'A', T0)).toBe(true);
    expect(await store.markSending('c1', 'user-0', 'A', T0)).toBe(false); // already sending
    expect(
      await store.finishOutbox(
        'c1',
        'user-0',
        'B',
        { state: 'sent', conversationId: 'x', activityId: 'y' },
        T0,
      ),
    ).toBe(false);
    expect(
      await store.finishOutbox(
        'c1',
        'user-0',
        'A',
        { state: 'sent', conversationId: 'a:1', activityId: 'm1' },
        T0,
      ),
    ).toBe(true);
    const [row] = await store.listOutbox('c1', { limit: 1 });
    expect(row).toMatchObject({ state: 'sent', conversationId: 'a:1', activityId: 'm1', leaseOwner: null });
    // A final row cannot be finished again.
    expect(await store.finishOutbox('c1', 'user-0', 'A', { state: 'failed', reason: 'blocked' }, T0)).toBe(
      false,
    );
    expect(await store.completeCampaignIfDrained('c1', at(1))).toBe(true);
    expect(await store.getCampaign('c1')).toMatchObject({ state: 'done', finishedAt: at(1) });
    expect(await store.completeCampaignIfDrained('c1', at(2))).toBe(false);
  });

  it('failed and skipped rows keep their reason; counts group by reason', async () => {
    await store.createCampaign(campaign('c1', 4));
    await claim(store, 'A', 4);
    await store.markSending('c1', 'user-0', 'A', T0);
    await store.finishOutbox('c1', 'user-0', 'A', { state: 'failed', reason: 'blocked', detail: '403' }, T0);
    await store.finishOutbox('c1', 'user-1', 'A', { state: 'skipped', reason: 'now_compliant' }, T0);
    await store.finishOutbox('c1', 'user-2', 'A', { state: 'skipped', reason: 'now_compliant' }, T0);
    expect(await store.campaignCounts('c1')).toMatchObject({
      inFlight: 1,
      failed: { blocked: 1 },
      skipped: { now_compliant: 2 },
    });
    expect(await store.completeCampaignIfDrained('c1', T0)).toBe(false);
  });

  it('a retry goes back to pending and is not claimed before notBefore', async () => {
    await store.createCampaign(campaign('c1', 1));
    await claim(store, 'A', 1);
    await store.markSending('c1', 'user-0', 'A', T0);
    await store.finishOutbox('c1', 'user-0', 'A', { state: 'pending', notBefore: at(10), attempts: 1 }, T0);
    expect(await claim(store, 'A', 1, at(5))).toEqual([]);
    const [again] = await claim(store, 'A', 1, at(10));
    expect(again).toMatchObject({ attempts: 1, state: 'claimed' });
  });

  it('after a crash: claimed rows go back to pending, sending rows become in doubt', async () => {
    await store.createCampaign(campaign('c1', 3));
    await claim(store, 'dead', 3);
    await store.markSending('c1', 'user-0', 'dead', T0);
    // Another live instance would wait for the lease; one whose lease has not expired keeps its rows.
    expect(await store.recoverOutbox({ owner: 'B', now: at(10), takeOverAll: false })).toEqual({
      requeued: 0,
      inDoubt: 0,
    });
    expect(await store.recoverOutbox({ owner: 'B', now: at(301), takeOverAll: false })).toEqual({
      requeued: 2,
      inDoubt: 1,
    });
    const rows = await store.listOutbox('c1', { limit: 10 });
    expect(rows.map((r) => r.state)).toEqual(['in_doubt', 'pending', 'pending']);
    expect(rows[0]!.reason).toBe('crashed_mid_send');
    expect(await store.campaignCounts('c1')).toMatchObject({ inDoubt: 1, pending: 2 });
  });

  it('a single instance restarting takes over every row of the previous process at once', async () => {
    await store.createCampaign(campaign('c1', 2));
    await claim(store, 'old', 2);
    await store.markSending('c1', 'user-1', 'old', T0);
    expect(await store.recoverOutbox({ owner: 'new', now: T0, takeOverAll: true })).toEqual({
      requeued: 1,
      inDoubt: 1,
    });
  });

  it('pause stops claims; cancel skips what is pending; a released row of a cancelled campaign is skipped', async () => {
    await store.createCampaign(campaign('c1', 3));
    const [held] = await claim(store, 'A', 1);
    expect(await store.transitionCampaign('c1', ['running'], 'paused', T0)).toBe(true);
    expect(await claim(store, 'A', 5)).toEqual([]);
    expect(await store.transitionCampaign('c1', ['running'], 'paused', T0)).toBe(false);
    expect(await store.transitionCampaign('c1', ['paused'], 'running', T0)).toBe(true);
    expect(await claim(store, 'A', 1)).toHaveLength(1);
    expect(await store.transitionCampaign('c1', ['running', 'paused'], 'cancelled', at(1))).toBe(true);
    await store.releaseOutbox('c1', held!.recipientId, 'A', at(1));
    expect(await store.campaignCounts('c1')).toMatchObject({ inFlight: 1, skipped: { cancelled: 2 } });
    expect(await store.getCampaign('c1')).toMatchObject({ state: 'cancelled', finishedAt: at(1) });
  });

  it('resend to failed: failed rows only, fresh attempts, the campaign runs again', async () => {
    await store.createCampaign(campaign('c1', 2));
    await claim(store, 'A', 2);
    await store.finishOutbox('c1', 'user-0', 'A', { state: 'failed', reason: 'unavailable' }, T0);
    await store.finishOutbox(
      'c1',
      'user-1',
      'A',
      { state: 'sent', conversationId: 'a', activityId: 'b' },
      T0,
    );
    await store.completeCampaignIfDrained('c1', T0);
    expect(await store.requeueFailed('c1', at(5))).toBe(1);
    expect(await store.getCampaign('c1')).toMatchObject({ state: 'running', finishedAt: null });
    expect((await claim(store, 'A', 5, at(5))).map((r) => r.recipientId)).toEqual(['user-0']);
  });

  it('older campaigns are claimed first', async () => {
    await store.createCampaign(campaign('new', 1, at(60)));
    await store.createCampaign(campaign('old', 1, T0));
    expect((await claim(store, 'A', 1, at(61))).map((r) => r.campaignId)).toEqual(['old']);
    expect((await claim(store, 'A', 1, at(61))).map((r) => r.campaignId)).toEqual(['new']);
  });

  it('frequency cap: one reminder per recipient inside the window, across campaigns', async () => {
    expect(await store.reserveReminder('u1', 'c1', T0, at(-86400 * 7))).toBe(true);
    expect(await store.reserveReminder('u1', 'c1', at(1), at(-86400 * 7))).toBe(true); // same campaign
    expect(await store.reserveReminder('u1', 'c2', at(2), at(-86400 * 7))).toBe(false);
    // Outside the window (since is after the first reminder): allowed.
    expect(await store.reserveReminder('u1', 'c3', at(100), at(50))).toBe(true);
    await store.releaseReminder('u1', 'c1');
    await store.releaseReminder('u1', 'c3');
    expect(await store.reserveReminder('u1', 'c2', at(3), at(-86400 * 7))).toBe(true);
  });

  it('claimJobRun fires once per name and due time', async () => {
    expect(await store.claimJobRun('schedule:s1', T0, 'A')).toBe(true);
    expect(await store.claimJobRun('schedule:s1', T0, 'B')).toBe(false);
    expect(await store.claimJobRun('schedule:s1', at(60), 'B')).toBe(true);
  });

  it('schedules are saved, listed and deleted', async () => {
    const s = {
      id: 's1',
      cron: '0 9 * * MON',
      timeZone: 'Europe/Paris',
      audience: 'non-compliant' as const,
      groupName: 'Sales',
      deadlineDays: 7,
      conversationId: '19:c@thread.tacv2',
      createdAt: T0,
      createdBy: actor,
    };
    await store.saveSchedule(s);
    expect(await store.listSchedules()).toEqual([s]);
    expect(await store.deleteSchedule('s1')).toBe(true);
    expect(await store.deleteSchedule('s1')).toBe(false);
  });

  it('finds a user’s personal conversation by Entra object id', async () => {
    await store.saveConversation({
      conversationId: 'a:1',
      scope: 'personal',
      tenantId: 't',
      teamId: null,
      aadObjectId: 'oid-1',
      reference: { conversation: { id: 'a:1' } },
      seenAt: T0,
    });
    expect(await store.findPersonalConversation('oid-1')).toEqual({
      conversationId: 'a:1',
      reference: { conversation: { id: 'a:1' } },
    });
    expect(await store.findPersonalConversation('oid-2')).toBeNull();
  });
});

describe('campaign store on a file', () => {
  it('keeps campaigns and outbox rows across a reopen', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-store-'));
    try {
      const file = path.join(dir, 'bot.sqlite');
      const a = SqliteBotStore.open(file);
      await a.createCampaign(campaign('c1', 2));
      await claim(a, 'A', 1);
      await a.close();
      const b = SqliteBotStore.open(file);
      expect(await b.campaignCounts('c1')).toMatchObject({ total: 2, pending: 1, inFlight: 1 });
      await b.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
