import { RequestPacer } from '../../src/broadcasts/requestPacer';
import { RemediationBatches, type RemediationBatchDeps } from '../../src/broadcasts/remediationBatches';
import { UpstreamError } from '../../src/errors';
import { silentLogger } from '../../src/log';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';

/**
 * The batch fixes' worker over a real store after a crash: items a killed process had claimed
 * (possibly on the wire) are sent again — both requests are idempotent in effect — and items it
 * had finished never are; a throttled item waits for Jamf's Retry-After and is tried again.
 */
const actor = { teamsUserId: '29:a', aadObjectId: 'a', name: 'Alex' };
const macs = (n: number) =>
  Array.from({ length: n }, (_, i) => [{ computerId: String(i + 1), name: `Mac ${i + 1}` }]);
const at = (ms: number) => new Date(Date.parse('2026-12-07T09:00:00.000Z') + ms).toISOString();

function rig(store: SqliteBotStore, jamf: RemediationBatchDeps['jamf'], owner = 'restarted') {
  const updates: string[] = [];
  const batches = new RemediationBatches({
    store,
    jamf,
    pacer: new RequestPacer({ perSecond: 200, perConversation: [] }),
    notifier: { updateCard: async (posted) => void updates.push(posted.activityId ?? '') },
    fleet: {
      read: async () => ({ state: 'building' }) as never,
      refresh: async () => ({ state: 'building' }) as never,
    },
    candidates: () => ({ wake: [], recalculate: [] }),
    settings: {
      owner,
      perSecond: 200,
      spacedPerSecond: 160,
      pushChunk: 100,
      concurrency: 2,
      leaseMs: 60_000,
      pollMs: 20,
      maxAttempts: 3,
      progressEveryMs: 10,
      singleInstance: true,
    },
    logger: silentLogger(),
  });
  return { batches, updates };
}

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
    await store.createBatch({
      id: 'b-0000000a',
      kind: 'recalculate',
      createdAt: at(0),
      createdBy: actor,
      items: macs(5),
    });
    await store.setBatchCard('b-0000000a', { conversationId: 'c', activityId: 'card-1' });
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
    await store.createBatch({
      id: 'b-0000000b',
      kind: 'wake',
      createdAt: at(0),
      createdBy: actor,
      items: [
        [
          { computerId: '1', name: 'Mac 1' },
          { computerId: '2', name: 'Mac 2' },
          { computerId: '3', name: 'Mac 3' },
        ],
      ],
    });
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
});
