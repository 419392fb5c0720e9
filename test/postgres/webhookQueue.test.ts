import { PgBotStore } from '../../src/store/pgBotStore';
import { delivery, describeWebhookQueueConformance } from '../store/webhookQueueConformance';
import { freshSchema, openTestStore } from './pgTestDatabase';

describeWebhookQueueConformance('PostgreSQL', () => openTestStore());

describe('WebhookQueue on PostgreSQL shared by several instances', () => {
  let a: PgBotStore;
  let b: PgBotStore;
  beforeAll(async () => {
    const schema = await freshSchema('hook');
    a = await openTestStore({ schema });
    b = await openTestStore({ schema });
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('recognises a repeat delivered to another instance at the same moment', async () => {
    const d = delivery('same', ['1']);
    const results = await Promise.all([
      a.enqueueWebhook(d, '2026-12-01T10:00:00.000Z'),
      b.enqueueWebhook(d, '2026-12-01T10:00:00.001Z'),
    ]);
    expect(results.sort()).toEqual([false, true]);
  });

  it('never lets two workers claim the same row', async () => {
    for (let i = 0; i < 300; i++)
      await a.enqueueWebhook(delivery(`r${i}`, [String(i)]), '2026-12-01T10:00:01.000Z');
    const claimed: string[][] = [[], []];
    const now = '2026-12-01T10:01:00.000Z';
    const leaseUntil = '2026-12-01T10:11:00.000Z';
    // Both instances claim in small batches, concurrently, until nothing is left.
    await Promise.all(
      [a, b].map(async (store, i) => {
        for (;;) {
          const rows = await store.claimWebhooks({ owner: `w${i}`, now, leaseUntil, limit: 7 });
          if (rows.length === 0) return;
          claimed[i]!.push(...rows.map((r) => r.deliveryKey));
        }
      }),
    );
    const all = [...claimed[0]!, ...claimed[1]!];
    expect(new Set(all).size).toBe(all.length);
    // 300 new rows plus the one from the first test.
    expect(all.length).toBe(301);
    expect(claimed[0]!.length).toBeGreaterThan(0);
    expect(claimed[1]!.length).toBeGreaterThan(0);
  });
});
