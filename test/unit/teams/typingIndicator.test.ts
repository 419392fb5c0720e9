import { typingIndicator } from '../../../src/teams/pipeline/typingIndicator';
import { actionTurn, messageTurn } from './fakeTurns';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const types = (sent: Array<{ type?: string }>) => sent.map((a) => a.type);

describe('typingIndicator', () => {
  it('shows the indicator after a moment and again until the first reply, never after it', async () => {
    const m = messageTurn('rollout');
    await typingIndicator(20, { repeatMs: 30 })(m.turn, async () => {
      await sleep(110);
      await m.turn.replies.reply('done');
      await sleep(80); // still working after its answer: no more indicators
    });
    const shown = types(m.sent);
    expect(shown[shown.length - 1]).toBe('message');
    expect(shown.filter((t) => t === 'typing').length).toBeGreaterThanOrEqual(3);
    expect(shown.filter((t) => t === 'message')).toHaveLength(1);
  });

  it('shows none before a fast answer, none for a button, and stops at the deadline', async () => {
    const fast = messageTurn('help');
    await typingIndicator(50)(fast.turn, async () => void (await fast.turn.replies.reply('hi')));
    expect(types(fast.sent)).toEqual(['message']);

    const press = actionTurn('device.refresh');
    await typingIndicator(0)(press.turn, async () => sleep(20));
    expect(press.sent).toEqual([]);

    const stuck = messageTurn('rollout');
    await typingIndicator(10, { repeatMs: 10, untilMs: 45 })(stuck.turn, async () => sleep(120));
    const n = types(stuck.sent).length;
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(5);
  });
});
