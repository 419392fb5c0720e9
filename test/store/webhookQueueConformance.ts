import type { WebhookDelivery, WebhookQueue } from '../../src/store/ports/webhookQueue';
import { WEBHOOK_RETENTION_MS } from '../../src/store/retention';

export const delivery = (key: string, ids: string[], at = '2026-12-01T10:00:00.000Z'): WebhookDelivery => ({
  deliveryKey: key,
  webhookId: '7',
  event: 'ComputerInventoryCompleted',
  eventTimestamp: at,
  computerIds: ids,
  group: null,
});

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const at = (ms: number): string => new Date(T0 + ms).toISOString();
const claim = (q: WebhookQueue, owner: string, nowMs: number, limit = 100, takeOverOthers = false) =>
  q.claimWebhooks({ owner, now: at(nowMs), leaseUntil: at(nowMs + 60_000), limit, takeOverOthers });

/**
 * The Jamf webhook queue's behaviour, written once and run on each store: SQLite
 * (test/unit/webhookQueue.test.ts) and PostgreSQL (test/postgres/webhookQueue.test.ts).
 */
export function describeWebhookQueueConformance(
  name: string,
  openStore: () => Promise<WebhookQueue & { close(): Promise<void> }>,
): void {
  describe(`WebhookQueue conformance: ${name}`, () => {
    let q: WebhookQueue & { close(): Promise<void> };
    beforeEach(async () => {
      q = await openStore();
    });
    afterEach(async () => {
      await q.close();
    });

    it('stores a delivery once: a repeat of the same key is recognised, and round-trips exactly', async () => {
      const group = { groupId: '12', groupName: 'Compliance Group', added: ['1', '2'], removed: ['3'] };
      const d = { ...delivery('k1', ['1', '2', '3']), event: 'SmartGroupComputerMembershipChange', group };
      expect(await q.enqueueWebhook(d, at(0))).toBe(true);
      expect(await q.enqueueWebhook(d, at(5))).toBe(false);
      expect(await q.getWebhook('k1')).toEqual({ ...d, receivedAt: at(0), attempts: 0, state: 'queued' });
      expect(await q.webhookQueueCounts()).toEqual({ queued: 1, done: 0, failed: 0 });
      expect(await q.getWebhook('nope')).toBeNull();
    });

    it('leases rows oldest first; a leased row is not claimed again until its lease ends', async () => {
      await q.enqueueWebhook(delivery('b', ['2']), at(2));
      await q.enqueueWebhook(delivery('a', ['1']), at(1));
      const first = await claim(q, 'w1', 10, 1);
      expect(first.map((r) => r.deliveryKey)).toEqual(['a']);
      expect((await claim(q, 'w2', 20)).map((r) => r.deliveryKey)).toEqual(['b']);
      expect(await claim(q, 'w3', 30)).toEqual([]);
      // w1's lease (until 60,010) ends: another worker takes the row over.
      expect((await claim(q, 'w3', 60_011)).map((r) => r.deliveryKey)).toEqual(['a']);
      // The old owner can no longer finish it.
      expect(await q.finishWebhooks(['a'], 'w1', 'done', at(60_012))).toBe(0);
      expect(await q.finishWebhooks(['a'], 'w3', 'done', at(60_013))).toBe(1);
    });

    it('takes over other owners at once when asked (a single instance after a restart)', async () => {
      await q.enqueueWebhook(delivery('a', ['1']), at(0));
      await claim(q, 'before-restart', 1);
      expect(await claim(q, 'after-restart', 2)).toEqual([]);
      expect((await claim(q, 'after-restart', 3, 100, true)).map((r) => r.deliveryKey)).toEqual(['a']);
      // …but never its own rows in flight.
      expect(await claim(q, 'after-restart', 4, 100, true)).toEqual([]);
    });

    it('retries later: not due before notBefore, one more attempt counted', async () => {
      await q.enqueueWebhook(delivery('a', ['1']), at(0));
      await claim(q, 'w', 1);
      expect(await q.retryWebhooks(['a'], 'w', at(10_000))).toBe(1);
      expect(await claim(q, 'w', 9_999)).toEqual([]);
      const [row] = await claim(q, 'w', 10_000);
      expect(row).toMatchObject({ deliveryKey: 'a', attempts: 1 });
    });

    it('finishes done or failed; finished rows still recognise a repeat, and go after the retention', async () => {
      await q.enqueueWebhook(delivery('a', ['1']), at(0));
      await q.enqueueWebhook(delivery('b', ['2']), at(0));
      await claim(q, 'w', 1);
      expect(await q.finishWebhooks(['a'], 'w', 'done', at(2))).toBe(1);
      expect(await q.finishWebhooks(['b'], 'w', 'failed', at(2))).toBe(1);
      expect(await q.webhookQueueCounts()).toEqual({ queued: 0, done: 1, failed: 1 });
      expect(await q.enqueueWebhook(delivery('a', ['1']), at(3))).toBe(false);
      expect(await claim(q, 'w', 4)).toEqual([]);
      // A finish a week later deletes them.
      await q.enqueueWebhook(delivery('c', ['3']), at(WEBHOOK_RETENTION_MS));
      await claim(q, 'w', WEBHOOK_RETENTION_MS + 1);
      await q.finishWebhooks(['c'], 'w', 'done', at(WEBHOOK_RETENTION_MS + 10));
      expect(await q.getWebhook('a')).toBeNull();
      expect(await q.webhookQueueCounts()).toEqual({ queued: 0, done: 1, failed: 0 });
    });
  });
}
