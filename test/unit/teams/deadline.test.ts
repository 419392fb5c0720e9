import { UpstreamError } from '../../../src/errors';
import { DeadlineExceeded, deadline, missedDeadline } from '../../../src/teams/pipeline/deadline';
import { messageTurn, messages } from './fakeTurns';

/** Lets the pending promise callbacks run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('deadline', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('lets a command that finishes in time through, replies and all', async () => {
    const m = messageTurn('help');
    await deadline({ deadlineMs: 5_000 })(m.turn, async () => {
      await m.turn.replies.reply('done');
    });
    expect(m.sent).toHaveLength(1);
  });

  it('passes a command failure through unchanged', async () => {
    const m = messageTurn('help');
    const failure = new Error('bug');
    await expect(deadline({})(m.turn, async () => Promise.reject(failure))).rejects.toBe(failure);
  });

  it('throws the service the late command waits on as an upstream timeout, and silences its replies', async () => {
    const m = messageTurn('help');
    let finishLate: () => void = () => undefined;
    const since: number[] = [];
    const step = deadline({
      deadlineMs: 5_000,
      upstreams: { slowest: (s) => (since.push(s), 'jamf') },
    });
    const running = step(m.turn, async () => {
      await new Promise<void>((resolve) => (finishLate = resolve));
      await m.turn.replies.reply('too late');
      throw new Error('and then it failed');
    });
    const outcome = expect(running).rejects.toMatchObject({
      service: 'jamf',
      code: 'timeout',
      message: 'No answer within 5 s',
    });
    jest.advanceTimersByTime(5_000);
    await outcome;
    const e = await running.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UpstreamError);
    expect(missedDeadline(e)).toBe(true);
    expect(since).toEqual([m.turn.startedAt]);
    finishLate();
    await settle();
    expect(m.sent).toEqual([]);
    expect(messages(m)).toEqual([
      'a reply after the deadline was dropped',
      'the command failed after its deadline',
    ]);
  });

  it('throws DeadlineExceeded itself when no upstream request is open, after at least 1 s', async () => {
    const m = messageTurn('help');
    const running = deadline({ deadlineMs: 10 })(m.turn, () => new Promise<void>(() => undefined));
    const outcome = expect(running).rejects.toBeInstanceOf(DeadlineExceeded);
    jest.advanceTimersByTime(999);
    await settle();
    jest.advanceTimersByTime(1);
    await outcome;
  });

  it('counts the time the turn already used', async () => {
    const m = messageTurn('help');
    jest.advanceTimersByTime(3_000);
    const running = deadline({ deadlineMs: 5_000 })(m.turn, () => new Promise<void>(() => undefined));
    const outcome = expect(running).rejects.toBeInstanceOf(DeadlineExceeded);
    jest.advanceTimersByTime(2_000);
    await outcome;
  });
});

describe('missedDeadline', () => {
  it('tells a deadline miss from an ordinary upstream timeout', () => {
    expect(missedDeadline(new DeadlineExceeded(null))).toBe(true);
    expect(missedDeadline(new UpstreamError('graph', 'timeout', 'slow'))).toBe(false);
    expect(missedDeadline('nope')).toBe(false);
  });
});
