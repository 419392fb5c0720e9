import { rateLimit } from '../../../src/teams/pipeline/rateLimit';
import type { RateDecision, UserRateLimit } from '../../../src/teams/userRateLimit';
import { ADMIN, actionTurn, messageTurn, messages, sentText, spyNext } from './fakeTurns';

const limiter = (decision: RateDecision) => {
  const keys: string[] = [];
  const limit: UserRateLimit = { take: async (key) => (keys.push(key), decision) };
  return { keys, limit };
};

describe('rateLimit', () => {
  it('lets a caller within the limit through, keyed by their Entra id', async () => {
    const { keys, limit } = limiter({ verdict: 'ok' });
    const m = messageTurn('help');
    const next = spyNext();
    await rateLimit(limit)(m.turn, next);
    expect(next).toHaveBeenCalledTimes(1);
    expect(keys).toEqual([ADMIN.aadObjectId]);
    expect(m.counts).toEqual([]);
  });

  it('says "slow down" once, counted as rate_limited under "any" before a message is routed', async () => {
    const m = messageTurn('help');
    const next = spyNext();
    await rateLimit(limiter({ verdict: 'slow-down', retryAfterSeconds: 42 }).limit)(m.turn, next);
    expect(next).not.toHaveBeenCalled();
    expect(messages(m)).toEqual(['refused: rate limit']);
    expect(m.counts).toEqual([['any', 'rate_limited']]);
    expect(sentText(m)).toContain('Let me catch up for a moment');
    expect(sentText(m)).toContain('Please try again in about 42 seconds.');
  });

  it('drops further messages in the window quietly', async () => {
    const m = messageTurn('help');
    await rateLimit(limiter({ verdict: 'quiet', retryAfterSeconds: 3 }).limit)(m.turn, spyNext());
    expect(m.sent).toEqual([]);
    expect(m.counts).toEqual([['any', 'rate_limited']]);
  });

  it('answers a routed button with the card, or a short message once quiet, under its verb', async () => {
    const loud = actionTurn('device.refresh');
    loud.turn.handler = { name: 'device.refresh', audience: 'admin' };
    await rateLimit(limiter({ verdict: 'slow-down', retryAfterSeconds: 5 }).limit)(loud.turn, spyNext());
    expect(loud.turn.result?.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(loud.counts).toEqual([['device.refresh', 'rate_limited']]);
    const quiet = actionTurn('device.refresh');
    await rateLimit(limiter({ verdict: 'quiet', retryAfterSeconds: 5 }).limit)(quiet.turn, spyNext());
    expect(quiet.turn.result?.value).toBe('Please wait a moment.');
  });
});
