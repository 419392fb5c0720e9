import { silentLogger } from '../../src/log';
import {
  WebhookWorker,
  type MembershipChange,
  type WebhookWorkerOptions,
} from '../../src/live/webhookWorker';
import type { WebhookDelivery } from '../../src/store/ports/webhookQueue';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');

function groupChange(n: number, added: string[], removed: string[] = []): WebhookDelivery {
  return {
    deliveryKey: `g${n}`,
    webhookId: '9',
    event: 'SmartGroupComputerMembershipChange',
    eventTimestamp: new Date(T0 + n * 1000).toISOString(),
    computerIds: [...added, ...removed],
    group: { groupId: '12', groupName: 'Compliance Group', added, removed },
  };
}

describe('WebhookWorker', () => {
  let store: SqliteBotStore;
  let clock: number;
  const calls: string[][] = [];
  const changes: MembershipChange[] = [];
  let failNext = 0;
  const worker = (opts: Partial<WebhookWorkerOptions> = {}) =>
    new WebhookWorker(
      {
        queue: store,
        refreshComputers: async (ids) => {
          calls.push(ids);
          if (failNext > 0) {
            failNext--;
            throw new Error('Jamf answered 503');
          }
        },
        onMembershipChange: (e) => void changes.push(e),
        logger: silentLogger(),
        now: () => new Date(clock),
      },
      { owner: 'me', singleInstance: true, ...opts },
    );

  beforeEach(() => {
    store = SqliteBotStore.open(':memory:');
    clock = T0 + 60_000;
    calls.length = 0;
    changes.length = 0;
    failNext = 0;
  });
  afterEach(() => store.close());

  it('coalesces a burst of 5,000 ids in 50 deliveries into at most 50 listings of ≤ 100 ids', async () => {
    for (let d = 0; d < 50; d++) {
      const ids = Array.from({ length: 100 }, (_, i) => String(d * 100 + i + 1));
      await store.enqueueWebhook(groupChange(d, ids), new Date(T0).toISOString());
    }
    const round = await worker().runOnce();
    expect(round).toMatchObject({ deliveries: 50, ids: 5000, done: 50 });
    expect(calls.length).toBeLessThanOrEqual(50);
    expect(calls.every((c) => c.length <= 100)).toBe(true);
    expect(new Set(calls.flat()).size).toBe(5000);
    expect(await store.webhookQueueCounts()).toEqual({ queued: 0, done: 50, failed: 0 });
  });

  it('refreshes a Mac named by several deliveries once, and reports group changes in Jamf’s order', async () => {
    // Delivered out of order: the later change arrives first.
    await store.enqueueWebhook(groupChange(2, [], ['7']), new Date(T0).toISOString());
    await store.enqueueWebhook(groupChange(1, ['7', '8']), new Date(T0 + 1).toISOString());
    await worker().runOnce();
    expect(calls).toEqual([['7', '8']]);
    expect(changes.map((c) => [c.added, c.removed, c.at.getTime()])).toEqual([
      [['7', '8'], [], T0 + 1000],
      [[], ['7'], T0 + 2000],
    ]);
  });

  it('keeps the deliveries of a failed listing for a retry with backoff, then finishes them', async () => {
    await store.enqueueWebhook(groupChange(1, ['1']), new Date(T0).toISOString());
    failNext = 1;
    const w = worker({ backoffBaseMs: 5_000 });
    expect(await w.runOnce()).toMatchObject({ deliveries: 1, retried: 1, done: 0 });
    expect(changes).toEqual([]);
    expect(await store.getWebhook('g1')).toMatchObject({ state: 'queued', attempts: 1 });
    clock += 4_999;
    expect((await w.runOnce()).deliveries).toBe(0);
    clock += 1;
    expect(await w.runOnce()).toMatchObject({ deliveries: 1, done: 1 });
    expect(changes).toHaveLength(1);
  });

  it('gives a delivery up after maxAttempts failures (the scheduled resync still covers its Macs)', async () => {
    await store.enqueueWebhook(groupChange(1, ['1']), new Date(T0).toISOString());
    failNext = 99;
    const w = worker({ maxAttempts: 2, backoffBaseMs: 1 });
    await w.runOnce();
    clock += 10;
    expect(await w.runOnce()).toMatchObject({ failed: 1 });
    expect(await store.getWebhook('g1')).toMatchObject({ state: 'failed' });
  });

  it('finishes a group change that names no Mac without a listing', async () => {
    await store.enqueueWebhook(groupChange(1, []), new Date(T0).toISOString());
    expect(await worker().runOnce()).toMatchObject({ deliveries: 1, refreshCalls: 0, done: 1 });
    expect(changes).toHaveLength(1);
  });

  it('processes what is queued once started, and stop() waits for the round in flight', async () => {
    await store.enqueueWebhook(groupChange(1, ['1']), new Date(T0).toISOString());
    const w = worker({ pollMs: 10, gatherMs: 1 });
    w.start();
    for (let i = 0; i < 100 && (await store.webhookQueueCounts()).done === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    await w.stop();
    expect(calls).toEqual([['1']]);
  });
});

describe('WebhookWorker wake-ups', () => {
  it('a steady stream of wakes does not postpone the round for ever', async () => {
    const store = SqliteBotStore.open(':memory:');
    const calls: string[][] = [];
    const w = new WebhookWorker(
      { queue: store, refreshComputers: async (ids) => void calls.push(ids), logger: silentLogger() },
      { owner: 'me', singleInstance: true, pollMs: 60_000, gatherMs: 50 },
    );
    w.start();
    await new Promise((r) => setTimeout(r, 20)); // the first (empty) round, then a long poll
    const deadline = Date.now() + 2_000;
    for (let i = 0; calls.length === 0 && Date.now() < deadline; i++) {
      await store.enqueueWebhook(
        {
          deliveryKey: `k${i}`,
          webhookId: '1',
          event: 'ComputerCheckIn',
          eventTimestamp: new Date().toISOString(),
          computerIds: [String(i)],
          group: null,
        },
        new Date().toISOString(),
      );
      w.wake();
      await new Promise((r) => setTimeout(r, 10));
    }
    await w.stop();
    await store.close();
    expect(calls.length).toBeGreaterThan(0);
  });
});
