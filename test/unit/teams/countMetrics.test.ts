import { countMetrics } from '../../../src/teams/pipeline/countMetrics';
import { DeadlineExceeded } from '../../../src/teams/pipeline/deadline';
import { actionTurn, messageTurn } from './fakeTurns';

describe('countMetrics', () => {
  it('counts a command that ran as ok, under its name', async () => {
    const m = messageTurn('help');
    await countMetrics(m.turn, async () => {
      m.turn.handler = { name: 'help', audience: 'everyone' };
    });
    expect(m.counts).toEqual([['help', 'ok']]);
  });

  it('counts nothing more when a step counted a refusal, and nothing for a turn that was never routed', async () => {
    const refused = actionTurn('device.refresh');
    await countMetrics(refused.turn, async () => {
      refused.turn.handler = { name: 'device.refresh', audience: 'admin' };
      refused.turn.count('refused_admin');
    });
    expect(refused.counts).toEqual([['device.refresh', 'refused_admin']]);
    const empty = messageTurn('');
    await countMetrics(empty.turn, async () => undefined);
    expect(empty.counts).toEqual([]);
  });

  it('counts a missed deadline as timeout and any other failure as error, and rethrows', async () => {
    const late = actionTurn('device.refresh');
    late.turn.handler = { name: 'device.refresh', audience: 'admin' };
    const miss = new Error('shown', { cause: new DeadlineExceeded('jamf') });
    await expect(countMetrics(late.turn, async () => Promise.reject(miss))).rejects.toBe(miss);
    expect(late.counts).toEqual([['device.refresh', 'timeout']]);
    const early = messageTurn('x'.repeat(3_000));
    await expect(
      countMetrics(early.turn, async () => Promise.reject(new Error('too long'))),
    ).rejects.toThrow();
    expect(early.counts).toEqual([['unknown', 'error']]);
  });
});
