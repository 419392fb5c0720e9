import { batchItems } from '../../src/broadcasts/remediationBatches';
import {
  batchButtonTitle,
  batchCancelledModel,
  batchConfirmModel,
  batchProgressModel,
  batchRequests,
  estimate,
} from '../../src/cards/remediationBatchCardModel';
import { renderCard } from '../../src/cards/renderCard';
import { rolloutCardModel } from '../../src/cards/rolloutCardModel';
import type { BatchProgress } from '../../src/compliance/remediationBatchTypes';
import type { RolloutSnapshot } from '../../src/store/botStore';
import { cardText } from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';

const macs = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ computerId: String(i + 1), name: `Mac ${i + 1}` }));
const actor = { teamsUserId: '29:a', aadObjectId: 'a', name: 'Alex Wilber' };

describe('batch fix cards (rollout card, issue 19)', () => {
  it('counts requests: one per Mac to recalculate, a read and a push per 100 Macs to wake', () => {
    expect(batchRequests('recalculate', 7, 100)).toBe(7);
    expect(batchRequests('wake', 250, 100)).toBe(6);
    expect(batchRequests('wake', 5000, 100)).toBe(100);
    expect(batchItems('wake', macs(250), 100).map((i) => i.length)).toEqual([100, 100, 50]);
    expect(batchItems('recalculate', macs(3), 100).map((i) => i.length)).toEqual([1, 1, 1]);
  });

  it('estimates the time at the spaced rate', () => {
    expect(estimate(10, 3.2)).toBe('est. under a minute');
    expect(estimate(1000, 3.2)).toBe('est. 6 min');
  });

  it('titles the rollout card’s buttons with their counts, and shows none without Macs', () => {
    expect(batchButtonTitle('wake', 1)).toBe('Wake all 1 stale Mac');
    expect(batchButtonTitle('recalculate', 12)).toBe('Recalculate all 12 out-of-sync Macs');
    const today: RolloutSnapshot = {
      day: '2026-12-07',
      takenAt: '2026-12-07T06:00:00.000Z',
      total: 10,
      applicable: 10,
      byVerdict: { compliant: 5 },
      percentCompliant: 50,
      topReasons: [],
    };
    const verbs = (batch?: { wake: number; recalculate: number }) =>
      (
        renderCard('rolloutCard', rolloutCardModel({ today, history: [today], now: new Date(), batch }))
          .actions as {
          title: string;
        }[]
      ).map((a) => a.title);
    expect(verbs()).toEqual(['Refresh']);
    expect(verbs({ wake: 0, recalculate: 0 })).toEqual(['Refresh']);
    expect(verbs({ wake: 3, recalculate: 0 })).toEqual(['Refresh', 'Wake all 3 stale Macs']);
    expect(verbs({ wake: 3, recalculate: 2 })).toEqual([
      'Refresh',
      'Wake all 3 stale Macs',
      'Recalculate all 2 out-of-sync Macs',
    ]);
  });

  it('the confirm step states the requests, the pace and the estimate, and lists a few Macs escaped', () => {
    const list = [{ computerId: '9', name: 'Bob’s *Mac*' }, ...macs(11)];
    const card = renderCard(
      'remediationBatch',
      batchConfirmModel({
        kind: 'wake',
        macs: list,
        batchId: 'b-0000abcd',
        perSecond: 4,
        spacedPerSecond: 3.2,
        pushChunk: 100,
      }),
    );
    expect(checkCard(card).problems).toEqual([]);
    const text = cardText(card);
    expect(text).toContain('Wake stale Macs: 12 Macs?');
    expect(text).toContain('This will send 2 requests to Jamf Pro at ≤ 4 per second; est. under a minute.');
    expect(text).toContain('The first 10 of 12 Macs');
    expect(text).toContain('Bob’s \\*Mac\\*');
    expect(text).toContain('Confirm sends exactly to these 12 Macs');
    // The buttons name the stored batch only: what is sent, and the age, are the server's.
    expect(card.actions).toEqual([
      expect.objectContaining({ verb: 'rollout.batch.confirm', data: { batchId: 'b-0000abcd' } }),
      expect.objectContaining({
        title: 'Cancel',
        verb: 'rollout.batch.cancel',
        data: { batchId: 'b-0000abcd' },
      }),
    ]);
  });

  it('the progress card shows done, failed and remaining, each failure in words, and Refresh', () => {
    const progress: BatchProgress = {
      batch: {
        id: 'b-0000abcd',
        kind: 'recalculate',
        createdAt: '2026-12-07T09:00:00.000Z',
        createdBy: actor,
        state: 'running',
        macs: 10,
        items: 10,
        progressCard: null,
        finishedAt: null,
      },
      done: 6,
      failed: 1,
      remaining: 3,
      failures: [
        { computerId: '4', name: 'Mac 4', status: 403, message: 'Jamf Pro refused it (403 Forbidden).' },
        { computerId: '5', name: 'Mac_5', message: 'Jamf Pro did not do it: *bad* [input].' },
      ],
    };
    const running = renderCard('remediationBatch', batchProgressModel(progress));
    expect(checkCard(running).problems).toEqual([]);
    const text = cardText(running);
    expect(text).toContain('Recalculate out-of-sync Macs: running');
    expect(text).toContain('6 done, 1 failed, 3 remaining of 10 Macs.');
    // Failure text is shown as written, never as markdown (Jamf's words may carry `*`, `_`, brackets).
    expect(text).toContain('Mac 4: Jamf Pro refused it \\(403 Forbidden\\).');
    expect(text).toContain('Mac\\_5: Jamf Pro did not do it: \\*bad\\* \\[input\\].');
    expect(running.actions).toEqual([
      expect.objectContaining({
        title: 'Refresh',
        verb: 'rollout.batch.refresh',
        data: { batchId: 'b-0000abcd' },
      }),
    ]);
    const finished = batchProgressModel({
      ...progress,
      batch: { ...progress.batch, state: 'done', finishedAt: '2026-12-07T09:05:00.000Z' },
      done: 9,
      remaining: 0,
    });
    expect(finished.title).toBe('Recalculate out-of-sync Macs: finished');
    expect(finished.text).toBe('Done: 9 of 10 Macs; 1 failed (below).');
    expect(finished.style).toBe('warning');
  });

  it('a cancelled batch: nothing was sent, no buttons', () => {
    const card = renderCard(
      'remediationBatch',
      batchCancelledModel({
        id: 'b-0000abcd',
        kind: 'wake',
        createdAt: '2026-12-07T09:00:00.000Z',
        createdBy: actor,
        state: 'cancelled',
        macs: 3,
        items: 1,
        progressCard: null,
        finishedAt: '2026-12-07T09:01:00.000Z',
      }),
    );
    expect(checkCard(card).problems).toEqual([]);
    expect(cardText(card)).toContain('Cancelled: nothing was sent to the 3 Macs.');
    expect(card.actions ?? []).toEqual([]);
  });
});
