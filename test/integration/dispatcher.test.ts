import {
  isReminderOf,
  newCampaign,
  recipients,
  startDispatcherRig,
  type DispatcherRig,
} from '../helpers/dispatcherRig';
import { InstallRefusedError, type ProactiveInstaller } from '../../src/broadcasts/proactiveInstaller';
import { TeamsAppInstallations } from '../../demo/teamsAppInstallations';
import { StoreUnavailableError, UpstreamError } from '../../src/errors';

describe('dispatcher against the Bot Connector simulator', () => {
  let rig: DispatcherRig;
  afterEach(() => rig.close());

  it('2,000 recipients (half with a stored conversation, half created): every one sent once', async () => {
    rig = await startDispatcherRig({ sim: { limits: { appPerSecond: 1000 }, latencyMs: 2 }, perSecond: 900 });
    const list = recipients(2000);
    for (const r of list.slice(0, 1000)) await rig.rememberConversation(r.recipientId);
    await rig.store.createCampaign(newCampaign('big', list));
    await rig.dispatcher.start();
    await rig.drained('big', 40_000);
    const counts = await rig.store.campaignCounts('big');
    expect(counts).toMatchObject({ total: 2000, sent: 2000, pending: 0, inFlight: 0, inDoubt: 0 });
    expect(rig.connector.duplicates()).toEqual([]);
    expect(rig.connector.deliveredByConversation().size).toBe(2000);
    expect(rig.connector.stats.created).toBe(1000);
    expect(rig.connector.stats.throttled).toBe(0);
    expect(await rig.store.getCampaign('big')).toMatchObject({ state: 'done' });
  }, 60_000);

  it('a 429 storm: every 429 is seen (no hidden retries), Retry-After holds all sends, nothing lost or doubled', async () => {
    // The pacer is set above the service's ceiling, so the service pushes back.
    rig = await startDispatcherRig({ sim: { limits: { appPerSecond: 20 } }, perSecond: 200 });
    const list = recipients(120);
    for (const r of list) await rig.rememberConversation(r.recipientId);
    await rig.store.createCampaign(newCampaign('storm', list));
    await rig.dispatcher.start();
    await rig.drained('storm', 30_000);
    expect(await rig.store.campaignCounts('storm')).toMatchObject({ sent: 120, failed: {} });
    expect(rig.connector.stats.throttled).toBeGreaterThan(0);
    expect(rig.dispatcher.stats.throttled).toBe(rig.connector.stats.throttled);
    expect(rig.connector.duplicates()).toEqual([]);
    // Each 429 said "1 second": after one, the app waits before sending again.
    const calls = rig.connector.calls.filter((c) => c.method === 'POST');
    const first429 = calls.findIndex((c) => c.status === 429);
    const nextOk = calls.slice(first429).find((c) => c.status === 201)!;
    expect(nextOk.at - calls[first429]!.at).toBeGreaterThanOrEqual(900);
  }, 40_000);

  it('Retry-After on a 503 is honoured and the row is retried; 412 retries with backoff; a 502 or a reset after the request was written is in doubt, not retried', async () => {
    rig = await startDispatcherRig();
    const list = recipients(4);
    for (const r of list) await rig.rememberConversation(r.recipientId);
    const conv = (i: number) => rig.connector.conversationFor(list[i]!.recipientId);
    rig.connector.fault({ conversationId: conv(0), status: 503, times: 1, retryAfterSeconds: 1 });
    rig.connector.fault({ conversationId: conv(1), status: 502, times: 2 });
    rig.connector.fault({ conversationId: conv(2), status: 412, times: 2 });
    rig.connector.fault({ conversationId: conv(3), status: 'reset', times: 1 });
    const started = Date.now();
    await rig.store.createCampaign(newCampaign('flaky', list));
    await rig.dispatcher.start();
    await rig.drained('flaky');
    // A 502 or a reset once the request is out: Teams may have acted (here it did not), so the
    // bot cannot know — in doubt, never sent again on its own.
    expect(await rig.store.campaignCounts('flaky')).toMatchObject({
      sent: 2,
      inDoubt: 2,
      inDoubtReasons: { gateway_error: 1, connection_lost: 1 },
      failed: {},
    });
    const delivered = rig.connector.calls.filter((c) => c.conversationId === conv(0) && c.status === 201);
    expect(delivered[0]!.at - started).toBeGreaterThanOrEqual(1000);
    expect(rig.dispatcher.stats.retried).toBe(3);
    for (const i of [1, 3])
      expect(rig.connector.calls.filter((c) => c.conversationId === conv(i))).toHaveLength(1);
    expect(rig.connector.duplicates()).toEqual([]);
  });

  it('transient failures are bounded: after maxAttempts the row fails as unavailable', async () => {
    rig = await startDispatcherRig({ dispatcher: { maxAttempts: 3 } });
    const [r] = recipients(1);
    await rig.rememberConversation(r!.recipientId);
    rig.connector.fault({ status: 412 });
    await rig.store.createCampaign(newCampaign('down', [r!]));
    await rig.dispatcher.start();
    await rig.drained('down');
    const [row] = await rig.store.listOutbox('down', { limit: 1 });
    expect(row).toMatchObject({
      state: 'failed',
      reason: 'unavailable',
      detail: '412 ServiceError',
      attempts: 2,
    });
    expect(rig.connector.calls.filter((c) => c.status === 412)).toHaveLength(3);
  });

  it('each permanent failure is recorded with its reason and never retried', async () => {
    const outcomes: string[] = [];
    rig = await startDispatcherRig({
      metrics: {
        reminderOutcome: (o, reason) => outcomes.push(`${o}:${reason}`),
        throttled: () => outcomes.push('429'),
        retried: () => outcomes.push('retry'),
      },
    });
    const list = recipients(6);
    for (const r of list.slice(0, 3)) await rig.rememberConversation(r.recipientId);
    const conv = (i: number) => rig.connector.conversationFor(list[i]!.recipientId);
    const id = (i: number) => list[i]!.recipientId;
    rig.connector.fault({ conversationId: conv(0), status: 403, code: 'ConversationBlockedByUser' });
    rig.connector.fault({ conversationId: conv(1), status: 403, code: 'BotDisabledByAdmin' });
    rig.connector.fault({ conversationId: conv(2), status: 404, code: 'ConversationNotFound' });
    rig.connector.fault({
      operation: 'create',
      memberAadObjectId: id(3),
      status: 403,
      code: 'BotNotInConversationRoster',
    });
    rig.connector.fault({ operation: 'create', memberAadObjectId: id(4), status: 404, code: 'UserNotFound' });
    rig.connector.fault({ operation: 'create', memberAadObjectId: id(5), status: 400, code: 'BadArgument' });
    await rig.store.createCampaign(newCampaign('perm', list));
    await rig.dispatcher.start();
    await rig.drained('perm');
    const rows = await rig.store.listOutbox('perm', { limit: 10 });
    expect(rows.map((r) => [r.state, r.reason])).toEqual([
      ['failed', 'blocked'],
      ['failed', 'bot_disabled'],
      ['failed', 'conversation_not_found'],
      ['failed', 'not_installed'],
      ['failed', 'user_not_found'],
      ['failed', 'bad_request'],
    ]);
    expect(rig.connector.stats.faults).toBe(6); // one request each: no retries
    expect(rig.dispatcher.stats.retried).toBe(0);
    // The metrics hook counted each outcome by reason.
    expect(outcomes.sort()).toEqual(
      [
        'failed:bad_request',
        'failed:blocked',
        'failed:bot_disabled',
        'failed:conversation_not_found',
        'failed:not_installed',
        'failed:user_not_found',
      ].sort(),
    );
  });

  it('not installed: installs through the installer, sends once to the chat, stores it; a refusal fails as install_refused', async () => {
    const apps = new TeamsAppInstallations('manifest');
    const list = recipients(4);
    const id = (i: number) => list[i]!.recipientId;
    apps.uninstall(...list.map((r) => r.recipientId));
    const asked: string[] = [];
    let outage = 1;
    const installer: ProactiveInstaller = {
      install: async (user) => {
        asked.push(user);
        if (user === id(2)) throw new InstallRefusedError('Graph 403: blocked by the tenant');
        if (user === id(3) && outage-- > 0) throw new UpstreamError('graph', 'unavailable', 'Graph 503');
        apps.install(user);
        return apps.chatId(user);
      },
    };
    rig = await startDispatcherRig({ sim: { appInstalls: apps }, installer });
    await rig.store.createCampaign(newCampaign('inst', list));
    await rig.dispatcher.start();
    await rig.drained('inst');
    const rows = await rig.store.listOutbox('inst', { limit: 10 });
    expect(rows.map((r) => [r.state, r.reason])).toEqual([
      ['sent', null],
      ['sent', null],
      ['failed', 'install_refused'],
      ['sent', null], // a Graph outage is transient: retried, then installed
    ]);
    expect(asked.sort()).toEqual([id(0), id(1), id(2), id(3), id(3)].sort());
    for (const i of [0, 1, 3]) {
      // Sent to the Graph chat id, which names the user's one 1:1 (recorded under its canonical id).
      expect(rig.connector.chatOf(apps.chatId(id(i)))).toBe(rig.connector.conversationFor(id(i)));
      expect(rig.connector.deliveredByConversation().get(rig.connector.conversationFor(id(i)))).toBe(1);
      expect(await rig.store.findPersonalConversation(id(i))).toMatchObject({
        conversationId: apps.chatId(id(i)),
      });
    }
    expect(rig.connector.deliveredByConversation().has(rig.connector.conversationFor(id(2)))).toBe(false);
    expect(await rig.store.findPersonalConversation(id(2))).toBeNull();
  });

  it('pause holds the campaign, resume finishes it, cancel skips the rest', async () => {
    rig = await startDispatcherRig({ sim: { limits: { appPerSecond: 1000 } }, perSecond: 40 });
    const list = recipients(60);
    for (const r of list) await rig.rememberConversation(r.recipientId);
    await rig.store.createCampaign(newCampaign('p', list));
    await rig.dispatcher.start();
    await rig.connector.waitForSent(10);
    await rig.store.transitionCampaign('p', ['running'], 'paused', new Date().toISOString());
    await new Promise((r) => setTimeout(r, 600)); // sends already under way finish
    const atPause = rig.connector.stats.delivered;
    await new Promise((r) => setTimeout(r, 500));
    expect(rig.connector.stats.delivered).toBe(atPause);
    expect(atPause).toBeLessThan(60);
    expect((await rig.store.campaignCounts('p')).inFlight).toBe(0);
    await rig.store.transitionCampaign('p', ['paused'], 'running', new Date().toISOString());
    rig.dispatcher.wake();
    await rig.drained('p');
    expect(await rig.store.campaignCounts('p')).toMatchObject({ sent: 60 });

    const more = recipients(60, 100);
    for (const r of more) await rig.rememberConversation(r.recipientId);
    await rig.store.createCampaign(newCampaign('c', more));
    rig.dispatcher.wake();
    await rig.connector.waitForSent(70);
    await rig.store.transitionCampaign('c', ['running', 'paused'], 'cancelled', new Date().toISOString());
    await rig.drained('c');
    const counts = await rig.store.campaignCounts('c');
    expect(counts.sent + (counts.skipped.cancelled ?? 0)).toBe(60);
    expect(counts.skipped.cancelled).toBeGreaterThan(0);
    expect(rig.connector.duplicates()).toEqual([]);
  }, 30_000);

  it('frequency cap: someone reminded by one campaign is skipped by the next within N days', async () => {
    rig = await startDispatcherRig({ dispatcher: { frequencyCapDays: 7 } });
    const list = recipients(5);
    for (const r of list) await rig.rememberConversation(r.recipientId);
    await rig.store.createCampaign(newCampaign('first', list.slice(0, 3)));
    await rig.dispatcher.start();
    await rig.drained('first');
    await rig.store.createCampaign(newCampaign('second', list));
    rig.dispatcher.wake();
    await rig.drained('second');
    expect(await rig.store.campaignCounts('second')).toMatchObject({
      sent: 2,
      skipped: { frequency_cap: 3 },
    });
    expect(rig.connector.duplicates()).toEqual([]);
  });

  it('a re-check that fails is retried; one that keeps failing fails as recheck_failed (not Teams), nothing sent', async () => {
    rig = await startDispatcherRig();
    const list = recipients(3);
    for (const r of list) await rig.rememberConversation(r.recipientId);
    await rig.store.createCampaign(newCampaign('recheck-fails', list));
    rig.recheckFailures.set(list[0]!.recipientId, 1);
    rig.recheckFailures.set(list[1]!.recipientId, Infinity);
    await rig.dispatcher.start();
    await rig.drained('recheck-fails');
    const rows = await rig.store.listOutbox('recheck-fails', { limit: 5 });
    expect(rows.map((r) => [r.state, r.reason])).toEqual([
      ['sent', null],
      ['failed', 'recheck_failed'],
      ['sent', null],
    ]);
    expect(rows[1]!.detail).toContain('Jamf Pro answered 503');
    expect(rows[1]!.attempts).toBe(3);
    const reminded = rig.connector.sent().filter(isReminderOf('recheck-fails'));
    expect(reminded).toHaveLength(2);
    expect(rig.connector.duplicates(isReminderOf('recheck-fails'))).toEqual([]);
  });

  it('a recipient who became compliant after the campaign started is skipped with the reason', async () => {
    rig = await startDispatcherRig();
    const list = recipients(3);
    for (const r of list) await rig.rememberConversation(r.recipientId);
    await rig.store.createCampaign(newCampaign('recheck', list));
    rig.compliant.add(list[1]!.recipientId);
    await rig.dispatcher.start();
    await rig.drained('recheck');
    const rows = await rig.store.listOutbox('recheck', { limit: 5 });
    expect(rows.map((r) => [r.state, r.reason])).toEqual([
      ['sent', null],
      ['skipped', 'now_compliant'],
      ['sent', null],
    ]);
    expect(rig.connector.duplicates(isReminderOf('recheck'))).toEqual([]);
  });

  it('a store write after a delivered send fails: written again, never resent — one delivery, the row ends sent', async () => {
    rig = await startDispatcherRig({ dispatcher: { singleInstance: false, leaseMs: 600 } });
    const [r] = recipients(1);
    await rig.rememberConversation(r!.recipientId);
    const finishOutbox = rig.store.finishOutbox.bind(rig.store);
    const writes: string[] = [];
    jest.spyOn(rig.store, 'finishOutbox').mockImplementation(async (...args) => {
      writes.push(args[3].state);
      // SQLITE_BUSY / a PostgreSQL restart, twice, just as Teams had taken the reminder.
      if (writes.length <= 2) throw new Error('SQLITE_BUSY: database is locked');
      return finishOutbox(...args);
    });
    await rig.store.createCampaign(newCampaign('rec', [r!]));
    await rig.dispatcher.start();
    await rig.drained('rec');
    expect(writes).toEqual(['sent', 'sent', 'sent']);
    const [row] = await rig.store.listOutbox('rec', { limit: 1 });
    expect(row).toMatchObject({ state: 'sent', attempts: 0 });
    expect(rig.connector.calls.filter((c) => c.method === 'POST' && c.status === 201)).toHaveLength(1);
    expect(rig.connector.duplicates()).toEqual([]);
    expect(rig.dispatcher.stats).toMatchObject({ inFlight: 0, sent: 1, retried: 0, inDoubt: 0 });
    expect(await rig.store.getCampaign('rec')).toMatchObject({ state: 'done' });
  });

  it('the database stays away after a delivered send: never put back, the lease runs out and the row is in doubt — one delivery', async () => {
    rig = await startDispatcherRig({ dispatcher: { singleInstance: false, leaseMs: 600 } });
    const [r] = recipients(1);
    await rig.rememberConversation(r!.recipientId);
    const finishOutbox = rig.store.finishOutbox.bind(rig.store);
    let refused = 0;
    jest.spyOn(rig.store, 'finishOutbox').mockImplementation(async (...args) => {
      // The outage outlasts half a lease: `sent` is given up, not turned into a put-back.
      if (args[3].state === 'sent' || refused > 0) {
        refused++;
        throw new StoreUnavailableError('unreachable', 'the database is unavailable');
      }
      return finishOutbox(...args);
    });
    await rig.store.createCampaign(newCampaign('away', [r!]));
    await rig.dispatcher.start();
    await rig.drained('away');
    const [row] = await rig.store.listOutbox('away', { limit: 1 });
    expect(row).toMatchObject({ state: 'in_doubt' });
    expect(refused).toBeGreaterThan(0);
    expect(rig.connector.calls.filter((c) => c.method === 'POST' && c.status === 201)).toHaveLength(1);
    expect(rig.connector.duplicates()).toEqual([]);
  });

  it('a send that throws something other than an answer from Teams is in doubt, not retried', async () => {
    let sends = 0;
    rig = await startDispatcherRig({
      wrapTransport: (real) => ({
        ...real,
        async send(target, card, gate) {
          sends++;
          if (gate && !(await gate())) return null;
          throw new TypeError('Cannot read properties of undefined (reading "id")');
        },
      }),
    });
    const [r] = recipients(1);
    await rig.rememberConversation(r!.recipientId);
    await rig.store.createCampaign(newCampaign('odd', [r!]));
    await rig.dispatcher.start();
    await rig.drained('odd');
    const [row] = await rig.store.listOutbox('odd', { limit: 1 });
    expect(row).toMatchObject({ state: 'in_doubt', reason: 'unexpected_error' });
    expect(sends).toBe(1);
    expect(rig.dispatcher.stats).toMatchObject({ inFlight: 0, retried: 0, inDoubt: 1 });
  });
});
