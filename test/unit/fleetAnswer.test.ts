import { fleetAnswer, type FleetCard } from '../../src/commands/fleetAnswer';
import type { CardActionContext, CommandContext } from '../../src/commands/commandTypes';
import type { FleetSnapshotRead, FleetSnapshotSource } from '../../src/compliance/fleetSnapshotTypes';
import { renderCard, type AdaptiveCard } from '../../src/cards/renderCard';
import { silentLogger } from '../../src/log';
import type { PostedCard } from '../../src/notifier';
import { waitForFleetSnapshot } from '../../src/lookup/waitForFleetSnapshot';
import { cardText, waitUntil } from '../helpers/botHarness';

const building = (macsRead: number): FleetSnapshotRead => ({
  state: 'building',
  progress: { macsRead, macsTotal: 100, phase: 'reading' },
  startedAt: new Date(),
});
const ready = (version: number): FleetSnapshotRead => ({
  state: 'ready',
  records: [],
  notApplicable: 0,
  connector: { groupIds: [], groupNames: {} },
  asOf: new Date(),
  version,
});

const answerCard: FleetCard = {
  ready: async (f) => renderCard('notice', { style: 'good', title: `answer v${f.version}`, text: 'x' }),
};

function rig(reads: FleetSnapshotRead[], refresh?: () => Promise<FleetSnapshotRead>) {
  let i = 0;
  const source: FleetSnapshotSource = {
    read: async () => reads[Math.min(i++, reads.length - 1)]!,
    refresh: refresh ?? (async () => reads[reads.length - 1]!),
  };
  const updated: { posted: PostedCard; text: string }[] = [];
  const replies: string[] = [];
  const answer = fleetAnswer({
    fleet: source,
    notifier: {
      updateCard: async (posted: PostedCard, card: AdaptiveCard) => {
        updated.push({ posted, text: cardText(card) });
      },
    },
    timing: { progressEveryMs: 5, buildWaitMs: 60_000, refreshWaitMs: 50, firstAnswerWaitMs: 0 },
  });
  const base = {
    caller: { teamsUserId: 'u', aadObjectId: null, name: null, tenantId: null, isAdmin: true },
    conversation: {
      id: '19:c@thread.tacv2;messageid=1',
      scope: 'channel' as const,
      teamId: 't',
      channelId: '19:c@thread.tacv2',
    },
    log: silentLogger(),
    now: () => new Date(),
    reply: async (c: unknown) => {
      replies.push(cardText(c));
      return 'a1';
    },
    update: async () => {},
  };
  const ctx = { ...base, text: 'rollout', args: '', invokedAs: 'rollout' } as CommandContext;
  const press = (cardActivityId: string | null) =>
    ({ ...base, verb: 'rollout.refresh', data: {}, cardActivityId, trigger: 'manual' }) as CardActionContext;
  return { answer, ctx, press, updated, replies };
}

describe('fleetAnswer', () => {
  it('answers at once from a ready snapshot, with no follow-up', async () => {
    const { answer, ctx, replies, updated } = rig([ready(1)]);
    await answer.reply(ctx, answerCard, 'rollout');
    expect(replies).toEqual([expect.stringContaining('answer v1')]);
    await new Promise((r) => setTimeout(r, 30));
    expect(updated).toHaveLength(0);
  });

  it('during the build: the progress card, updated only when the progress changed, then the answer in the channel', async () => {
    const { answer, ctx, replies, updated } = rig([
      building(10),
      building(10),
      building(20),
      building(20),
      ready(1),
    ]);
    await answer.reply(ctx, answerCard, 'rollout');
    expect(replies[0]).toContain('10 of 100 Macs');
    await waitUntil(async () => updated.some((u) => u.text.includes('answer v1')), 2_000);
    expect(
      updated.map((u) => (u.text.includes('answer v') ? 'answer' : /(\d+) of 100/.exec(u.text)![1])),
    ).toEqual(['20', 'answer']);
    expect(updated[0]!.posted).toEqual({ conversationId: '19:c@thread.tacv2', activityId: 'a1' });
  });

  it('stops updating after the wait and says so on the card', async () => {
    const { ctx, updated } = rig([building(10)]);
    const quick = fleetAnswer({
      fleet: { read: async () => building(10), refresh: async () => building(10) },
      notifier: { updateCard: async (posted, card) => void updated.push({ posted, text: cardText(card) }) },
      timing: { progressEveryMs: 5, buildWaitMs: 20, firstAnswerWaitMs: 0 },
    });
    await quick.reply(ctx, answerCard, 'rollout');
    await waitUntil(async () => updated.some((u) => u.text.includes('no longer updated')), 2_000);
  });

  it('Refresh: a quick sync answers with its snapshot; a slow one answers with the current one and updates the pressed card', async () => {
    const quick = rig([ready(1)], async () => ready(2));
    expect(cardText(await quick.answer.refresh(quick.press('p1'), answerCard, 'rollout'))).toContain(
      'answer v2',
    );

    let finish: (r: FleetSnapshotRead) => void = () => {};
    const slow = rig([ready(1)], () => new Promise((r) => (finish = r)));
    expect(cardText(await slow.answer.refresh(slow.press('p1'), answerCard, 'rollout'))).toContain(
      'answer v1',
    );
    expect(slow.updated).toHaveLength(0);
    finish(ready(3));
    await waitUntil(async () => slow.updated.length === 1, 2_000);
    expect(slow.updated[0]).toEqual({
      posted: { conversationId: '19:c@thread.tacv2', activityId: 'p1' },
      text: expect.stringContaining('answer v3'),
    });
  });
});

describe('waitForFleetSnapshot', () => {
  it('waits for the first build, and fails with a coded error after its bound', async () => {
    const reads = [building(1), building(2), ready(1)];
    let i = 0;
    const source = { read: async () => reads[i++]!, refresh: async () => ready(1) };
    expect((await waitForFleetSnapshot(source, { timeoutMs: 1_000, pollMs: 1 })).version).toBe(1);
    const never = { read: async () => building(1), refresh: async () => building(1) };
    await expect(waitForFleetSnapshot(never, { timeoutMs: 10, pollMs: 1 })).rejects.toMatchObject({
      service: 'store',
      code: 'timeout',
    });
  });
});
