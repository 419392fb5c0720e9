import { RequestPacer } from '../../src/broadcasts/requestPacer';
import { RemediationBatches, type RemediationBatchDeps } from '../../src/broadcasts/remediationBatches';
import { UpstreamError } from '../../src/errors';
import { silentLogger } from '../../src/log';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';

/**
 * The batch fixes' worker over a real store after a crash: items a killed process had claimed
 * (possibly on the wire) are sent again — both requests are idempotent in effect — and items it
 * had finished never are; a throttled item waits for Jamf's Retry-After and is tried again. Also
 * the confirm step's rules (exactly the stored Macs, once, within an hour by the server's clock,
 * every press audited), a 401/403 stopping the batch, a store failure putting the item back,
 * transient failures running out of attempts, a shutdown that does not wait out a Retry-After,
 * and a completion that failed being finished by an idle worker.
 */
const actor = { teamsUserId: '29:a', aadObjectId: 'a', name: 'Alex' };
const macs = (n: number) =>
  Array.from({ length: n }, (_, i) => [{ computerId: String(i + 1), name: `Mac ${i + 1}` }]);
const at = (ms: number) => new Date(Date.parse('2026-12-07T09:00:00.000Z') + ms).toISOString();

const noJamf: RemediationBatchDeps['jamf'] = {
  recalculateSmartGroups: async () => ({ count: null }),
  blankPush: async () => ({ errorUuids: [] }),
  getManagementIds: async () => new Map(),
};

function rig(
  store: RemediationBatchDeps['store'],
  jamf: RemediationBatchDeps['jamf'],
  opts: {
    owner?: string;
    settings?: Partial<RemediationBatchDeps['settings']>;
    pacer?: RemediationBatchDeps['pacer'];
    fleet?: Partial<RemediationBatchDeps>['fleet'];
    candidates?: RemediationBatchDeps['candidates'];
    now?: () => Date;
  } = {},
) {
  const updates: string[] = [];
  const batches = new RemediationBatches({
    store,
    jamf,
    pacer: opts.pacer ?? new RequestPacer({ perSecond: 200, perConversation: [] }),
    notifier: { updateCard: async (posted) => void updates.push(posted.activityId ?? '') },
    fleet: opts.fleet ?? {
      read: async () => ({ state: 'building' }) as never,
      refresh: async () => ({ state: 'building' }) as never,
    },
    candidates: opts.candidates ?? (() => ({ wake: [], recalculate: [] })),
    settings: {
      owner: opts.owner ?? 'restarted',
      perSecond: 200,
      spacedPerSecond: 160,
      pushChunk: 100,
      concurrency: 2,
      leaseMs: 60_000,
      pollMs: 20,
      maxAttempts: 3,
      progressEveryMs: 10,
      singleInstance: true,
      ...opts.settings,
    },
    logger: silentLogger(),
    now: opts.now,
  });
  return { batches, updates };
}

/** A confirmed batch in the store, as Confirm leaves it. */
async function running(
  store: SqliteBotStore,
  id: string,
  kind: 'wake' | 'recalculate',
  items: { computerId: string; name: string }[][],
  card: { conversationId: string; activityId: string } | null = null,
) {
  await store.createBatch({ id, kind, createdAt: at(0), createdBy: actor, items, card });
  await store.startBatch(id, actor, card);
}

const outcomes = async (store: SqliteBotStore, id: string) =>
  (await store.listAudit({ limit: 50, action: 'rollout.batch' }))
    .filter((e) => e.target === id)
    .reverse()
    .map((e) => (e.outcome === 'refused' ? `refused: ${String(e.details.reason)}` : e.outcome));

async function until(check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('batch fixes after a crash', () => {
  let store: SqliteBotStore;
  beforeEach(() => {
    store = SqliteBotStore.open(':memory:');
  });
  afterEach(() => store.close());

  it('resends what the dead process held, never what it finished, and finishes the batch once', async () => {
    await running(store, 'b-0000000a', 'recalculate', macs(5), { conversationId: 'c', activityId: 'card-1' });
    // The killed process: finished items 0 and 1, was sending item 2 when it died.
    const held = await store.claimBatchItems({
      owner: 'killed',
      now: at(1),
      leaseUntil: at(600_000),
      limit: 3,
    });
    for (const item of held.slice(0, 2))
      await store.finishBatchItem(item.batchId, item.seq, 'killed', { done: 1, failures: [] }, at(2));

    const sent: string[] = [];
    const { batches, updates } = rig(store, {
      recalculateSmartGroups: async (id) => {
        sent.push(id);
        return { count: 3 };
      },
      blankPush: async () => ({ errorUuids: [] }),
      getManagementIds: async () => new Map(),
    });
    await batches.start();
    try {
      await until(async () => (await store.getBatch('b-0000000a'))?.state === 'done');
    } finally {
      await batches.stop();
    }
    expect(sent.sort()).toEqual(['3', '4', '5']);
    expect(await store.batchProgress('b-0000000a', 10)).toMatchObject({ done: 5, failed: 0, remaining: 0 });
    const audit = await store.listAudit({ limit: 10, action: 'rollout.batch' });
    expect(audit.map((e) => e.outcome)).toEqual(['done']);
    expect(updates.at(-1)).toBe('card-1');
  });

  it('a throttled item waits for Retry-After and is tried again; a refusal fails its Macs plainly', async () => {
    await running(store, 'b-0000000b', 'wake', [
      [
        { computerId: '1', name: 'Mac 1' },
        { computerId: '2', name: 'Mac 2' },
        { computerId: '3', name: 'Mac 3' },
      ],
    ]);
    let pushes = 0;
    const { batches } = rig(store, {
      recalculateSmartGroups: async () => ({ count: null }),
      // Mac 3 has no management id any more.
      getManagementIds: async (ids) => new Map(ids.filter((id) => id !== '3').map((id) => [id, `m-${id}`])),
      blankPush: async (ids) => {
        pushes++;
        if (pushes === 1)
          throw new UpstreamError('jamf', 'throttled', 'Too many requests', {
            status: 429,
            retryAfterMs: 50,
          });
        return { errorUuids: ids.filter((id) => id === 'm-2') };
      },
    });
    await batches.start();
    try {
      await until(async () => (await store.getBatch('b-0000000b'))?.state === 'done');
    } finally {
      await batches.stop();
    }
    expect(pushes).toBe(2);
    const p = await store.batchProgress('b-0000000b', 10);
    expect(p).toMatchObject({ done: 1, failed: 2 });
    expect(p!.failures.map((f) => [f.name, f.message])).toEqual([
      ['Mac 3', expect.stringContaining('no MDM management id')],
      ['Mac 2', expect.stringContaining('could not send it the push')],
    ]);
  });

  describe('the confirm step', () => {
    const four = macs(4).flat();
    let clock = Date.parse(at(0));
    const ready = {
      read: async () => ({ state: 'ready' }) as never,
      refresh: async () => ({ state: 'ready' }) as never,
    };
    // The fleet changes after the confirm step: Confirm must not send to the new Mac.
    let found = four;
    const confirming = () =>
      rig(store, noJamf, {
        fleet: ready,
        candidates: () => ({ wake: [], recalculate: found }),
        now: () => new Date(clock),
      });
    const admin = { teamsUserId: '29:b', aadObjectId: 'b', name: 'Bo' };
    const card = { conversationId: 'c', activityId: 'card-7' };
    /** Presses the batch button: the confirm card's batch id. */
    const planned = async (batches: RemediationBatches): Promise<string> => {
      const answer = await batches.preview('recalculate', admin, card);
      if (!('card' in answer)) throw new Error('no confirm card');
      const [confirm] = answer.card.actions as { data: { batchId: string } }[];
      return confirm!.data.batchId;
    };
    beforeEach(() => {
      clock = Date.parse(at(0));
      found = four;
    });

    it('Confirm sends exactly the Macs the card showed, once; a second press is refused and audited', async () => {
      const { batches } = confirming();
      const batchId = await planned(batches);
      expect(await store.getBatch(batchId)).toMatchObject({ state: 'planned', macs: 4, createdAt: at(0) });
      found = macs(5).flat();
      clock += 59 * 60_000;
      const [a, b] = await Promise.all([
        batches.confirm({ batchId, actor: admin, card }),
        batches.confirm({ batchId, actor: admin, card }),
      ]);
      for (const answer of [a, b]) expect(answer).toHaveProperty('card');
      expect(await store.getBatch(batchId)).toMatchObject({ state: 'running', macs: 4, createdBy: admin });
      expect((await store.batchProgress(batchId, 10))?.remaining).toBe(4);
      expect(await outcomes(store, batchId)).toEqual(['planned', 'started', 'refused: already started']);
    });

    it('Confirm on a card over an hour old (the stored time) starts nothing, says so, and is audited', async () => {
      const { batches } = confirming();
      const batchId = await planned(batches);
      clock += 61 * 60_000;
      const answer = await batches.confirm({ batchId, actor: admin, card });
      expect(answer).toEqual({ message: expect.stringContaining('more than an hour old') });
      expect(await store.getBatch(batchId)).toMatchObject({ state: 'planned' });
      expect(await outcomes(store, batchId)).toEqual(['planned', 'refused: older than an hour']);
    });

    it('Cancel cancels the planned batch (audited); Confirm after it starts nothing', async () => {
      const { batches } = confirming();
      const batchId = await planned(batches);
      const cancelled = await batches.cancel({ batchId, actor: admin, card });
      expect(JSON.stringify(cancelled)).toContain('nothing was sent');
      await batches.confirm({ batchId, actor: admin, card });
      expect(await store.getBatch(batchId)).toMatchObject({ state: 'cancelled' });
      expect(await outcomes(store, batchId)).toEqual(['planned', 'cancelled', 'refused: cancelled']);
      expect(await batches.confirm({ batchId: 'b-ffffffff', actor: admin, card })).toEqual({
        message: expect.stringContaining('I do not know that batch'),
      });
      expect(await outcomes(store, 'b-ffffffff')).toEqual(['refused: unknown batch']);
    });

    it('while the fleet snapshot is still being built, the batch button says so plainly', async () => {
      const { batches } = rig(store, noJamf);
      await expect(batches.preview('wake', admin, card)).rejects.toMatchObject({
        name: 'UserInputError',
        message: expect.stringContaining('The fleet picture is being built right now'),
      });
    });
  });

  it('a 401/403 stops the batch: the rest fail with the same message, nothing more is sent', async () => {
    await running(store, 'b-0000000c', 'recalculate', macs(5));
    const sent: string[] = [];
    const { batches } = rig(
      store,
      {
        ...noJamf,
        recalculateSmartGroups: async (id) => {
          sent.push(id);
          throw new UpstreamError('jamf', 'forbidden', 'Forbidden', { status: 403 });
        },
      },
      { settings: { concurrency: 1 } },
    );
    await batches.start();
    try {
      await until(async () => (await store.getBatch('b-0000000c'))?.state === 'done');
    } finally {
      await batches.stop();
    }
    expect(sent).toEqual(['1']);
    const p = await store.batchProgress('b-0000000c', 10);
    expect(p).toMatchObject({ done: 0, failed: 5, remaining: 0 });
    expect(new Set(p!.failures.map((f) => f.message)).size).toBe(1);
    expect(p!.failures[0]).toMatchObject({ status: 403, message: expect.stringContaining('403 Forbidden') });
    expect(await outcomes(store, 'b-0000000c')).toEqual(['failed']);
  });

  it('transient failures run out of attempts: the Macs fail with the last error in words', async () => {
    await running(store, 'b-0000000d', 'recalculate', macs(1));
    let tries = 0;
    const { batches } = rig(
      store,
      {
        ...noJamf,
        recalculateSmartGroups: async () => {
          tries++;
          throw new UpstreamError('jamf', 'throttled', 'Too many requests', {
            status: 429,
            retryAfterMs: 10,
          });
        },
      },
      { settings: { maxAttempts: 3 } },
    );
    await batches.start();
    try {
      await until(async () => (await store.getBatch('b-0000000d'))?.state === 'done');
    } finally {
      await batches.stop();
    }
    expect(tries).toBe(3);
    expect((await store.batchProgress('b-0000000d', 10))?.failures).toEqual([
      { computerId: '1', name: 'Mac 1', status: 429, message: 'Jamf Pro did not do it: Too many requests.' },
    ]);
  });

  it('a store write that fails puts the item back in the queue, due a little later', async () => {
    await running(store, 'b-0000000e', 'recalculate', macs(2));
    let failOnce = true;
    const flaky = Object.assign(Object.create(store) as SqliteBotStore, {
      finishBatchItem: (...args: Parameters<SqliteBotStore['finishBatchItem']>) => {
        if (failOnce) {
          failOnce = false;
          return Promise.reject(new Error('disk I/O error'));
        }
        return store.finishBatchItem(...args);
      },
    });
    const sent: string[] = [];
    const { batches } = rig(
      flaky,
      {
        ...noJamf,
        recalculateSmartGroups: async (id) => {
          sent.push(id);
          return { count: 1 };
        },
      },
      { settings: { concurrency: 1 } },
    );
    await batches.start();
    try {
      await until(async () => sent.length === 2 && (await store.batchProgress('b-0000000e', 10))?.done === 1);
    } finally {
      await batches.stop();
    }
    // Put back 5 s later (not held by our own lease renewals until a restart): not due now, due then.
    const claimAt = (ms: number) =>
      store.claimBatchItems({
        owner: 'x',
        now: new Date(Date.now() + ms).toISOString(),
        leaseUntil: new Date(Date.now() + ms + 60_000).toISOString(),
        limit: 1,
      });
    expect(await claimAt(0)).toEqual([]);
    expect(await claimAt(6_000)).toMatchObject([{ batchId: 'b-0000000e', seq: 0, attempts: 2 }]);
    expect(sent).toEqual(['1', '2']);
  });

  it('a completion whose store step failed is finished by an idle worker, audited once', async () => {
    await running(store, 'b-0000000f', 'recalculate', macs(1), { conversationId: 'c', activityId: 'card-f' });
    let failOnce = true;
    const flaky = Object.assign(Object.create(store) as SqliteBotStore, {
      completeBatchIfDrained: (...args: Parameters<SqliteBotStore['completeBatchIfDrained']>) => {
        if (failOnce) {
          failOnce = false;
          return Promise.reject(new Error('connection reset'));
        }
        return store.completeBatchIfDrained(...args);
      },
    });
    const { batches, updates } = rig(flaky, noJamf, { settings: { leaseMs: 100 } });
    await batches.start();
    try {
      await until(async () => (await store.getBatch('b-0000000f'))?.state === 'done');
    } finally {
      await batches.stop();
    }
    expect(failOnce).toBe(false);
    expect(await outcomes(store, 'b-0000000f')).toEqual(['done']);
    await until(async () => updates.includes('card-f'));
  });

  it('stopping does not wait out a Retry-After: the item waiting for the pacer goes back unsent', async () => {
    await running(store, 'b-00000010', 'recalculate', macs(1));
    // A pacer paused for a long Retry-After: its grant never comes in this test.
    const pacer = {
      acquire: () => new Promise<void>(() => undefined),
      pauseUntil: () => undefined,
      close: () => undefined,
    };
    const sent: string[] = [];
    const { batches } = rig(
      store,
      { ...noJamf, recalculateSmartGroups: async (id) => (sent.push(id), { count: 1 }) },
      { pacer },
    );
    await batches.start();
    await until(
      async () => (await store.batchProgress('b-00000010', 10)) !== null && (await claimed()) === 1,
    );
    const began = Date.now();
    await batches.stop();
    expect(Date.now() - began).toBeLessThan(1_000);
    expect(sent).toEqual([]);
    expect(await claimed()).toBe(0);
    // Back in the queue, due now: the next start (here, any claimer) takes it at once.
    const [again] = await store.claimBatchItems({
      owner: 'next',
      now: new Date().toISOString(),
      leaseUntil: new Date(Date.now() + 60_000).toISOString(),
      limit: 1,
    });
    expect(again).toMatchObject({ batchId: 'b-00000010', seq: 0 });

    async function claimed(): Promise<number> {
      return store.renewBatchLeases('restarted', new Date(Date.now() + 60_000).toISOString());
    }
  });
});
