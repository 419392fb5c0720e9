import { RemediationBatches, batchMinimumGap } from '../../src/broadcasts/remediationBatches';
import { SharedRequestPacer } from '../../src/broadcasts/sharedRequestPacer';
import { silentLogger } from '../../src/log';
import type { PgBotStore } from '../../src/store/pgBotStore';
import { freshSchema, openTestStore } from './pgTestDatabase';

/**
 * The rollout card's batch fixes on PostgreSQL with two instances: both work on one batch, each
 * Mac's request is sent once, the shared pacer holds the configured rate across both, and the
 * batch ends (and is audited) once.
 */
const PER_SECOND = 10;

describe('batch fixes on PostgreSQL shared by two instances', () => {
  let stores: PgBotStore[];
  beforeAll(async () => {
    const schema = await freshSchema('batch');
    stores = [await openTestStore({ schema }), await openTestStore({ schema })];
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
  });

  it('sends each Mac once between them, at the shared pace', async () => {
    const n = 24;
    await stores[0]!.createBatch({
      id: 'b-000000aa',
      kind: 'recalculate',
      createdAt: new Date().toISOString(),
      createdBy: { teamsUserId: '29:a', aadObjectId: 'a', name: 'Alex' },
      items: Array.from({ length: n }, (_, i) => [{ computerId: String(i + 1), name: `Mac ${i + 1}` }]),
      card: null,
    });
    expect(
      await stores[1]!.startBatch(
        'b-000000aa',
        { teamsUserId: '29:a', aadObjectId: 'a', name: 'Alex' },
        null,
      ),
    ).toBe(true);
    const sent: { id: string; at: number; by: number }[] = [];
    const runners = stores.map(
      (store, by) =>
        new RemediationBatches({
          store,
          jamf: {
            recalculateSmartGroups: async (id) => {
              sent.push({ id, at: Date.now(), by });
              return { count: 1 };
            },
            blankPush: async () => ({ errorUuids: [] }),
            getManagementIds: async () => new Map(),
          },
          pacer: new SharedRequestPacer({
            rate: store,
            key: 'jamf-batch:test',
            perSecond: PER_SECOND,
            perConversation: [batchMinimumGap(PER_SECOND)],
            logger: silentLogger(),
          }),
          notifier: { updateCard: async () => {} },
          fleet: {
            read: async () => ({ state: 'building' }) as never,
            refresh: async () => ({ state: 'building' }) as never,
          },
          candidates: () => ({ wake: [], recalculate: [] }),
          settings: {
            owner: `instance-${by}`,
            perSecond: PER_SECOND,
            spacedPerSecond: PER_SECOND,
            pushChunk: 100,
            concurrency: 2,
            leaseMs: 30_000,
            pollMs: 50,
            maxAttempts: 3,
            progressEveryMs: 100,
            singleInstance: false,
          },
          logger: silentLogger(),
        }),
    );
    await Promise.all(runners.map((r) => r.start()));
    try {
      const end = Date.now() + 15_000;
      while ((await stores[0]!.getBatch('b-000000aa'))?.state !== 'done') {
        if (Date.now() > end) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
    }
    expect(sent.map((s) => s.id).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: n }, (_, i) => String(i + 1)),
    );
    expect(new Set(sent.map((s) => s.by)).size).toBe(2);
    const times = sent.map((s) => s.at).sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      most = Math.max(most, i - j + 1);
    }
    expect(most).toBeLessThanOrEqual(PER_SECOND);
    const audit = await stores[1]!.listAudit({ limit: 10, action: 'rollout.batch' });
    expect(audit.map((e) => e.outcome)).toEqual(['done']);
  });
});
