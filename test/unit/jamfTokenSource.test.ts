import { JamfTokenSource, type IssuedToken } from '../../src/upstream/jamf/jamfTokenSource';

function source(ttlSeconds = 100) {
  let clock = 1_000_000;
  let n = 0;
  const pending: ((t: IssuedToken) => void)[] = [];
  const fetchToken = jest.fn(
    () =>
      new Promise<IssuedToken>((resolve) => {
        n++;
        pending.push(resolve);
      }),
  );
  const tokens = new JamfTokenSource(fetchToken, () => clock);
  const answer = () => pending.shift()?.({ token: `t${n}`, expiresInSeconds: ttlSeconds });
  return { tokens, fetchToken, answer, advance: (ms: number) => (clock += ms) };
}

describe('JamfTokenSource', () => {
  it('shares one token request among concurrent callers, then serves from cache', async () => {
    const s = source();
    const all = Promise.all([s.tokens.get(), s.tokens.get(), s.tokens.get()]);
    s.answer();
    expect(await all).toEqual(['t1', 't1', 't1']);
    expect(await s.tokens.get()).toBe('t1');
    expect(s.fetchToken).toHaveBeenCalledTimes(1);
  });

  it('renews before expiry: a fifth of the lifetime early, at most a minute', async () => {
    const s = source(100);
    const first = s.tokens.get();
    s.answer();
    await first;
    s.advance(79_000);
    expect(await s.tokens.get()).toBe('t1');
    s.advance(2_000); // 81 s of 100: inside the last fifth
    const renewed = s.tokens.get();
    s.answer();
    expect(await renewed).toBe('t2');

    const long = source(3600);
    const a = long.tokens.get();
    long.answer();
    await a;
    long.advance(3600_000 - 61_000);
    expect(await long.tokens.get()).toBe('t1');
    long.advance(2_000);
    const b = long.tokens.get();
    long.answer();
    expect(await b).toBe('t2');
  });

  it('invalidate drops only the refused token, not a newer one', async () => {
    const s = source();
    const a = s.tokens.get();
    s.answer();
    await a;
    s.tokens.invalidate('t1');
    const b = s.tokens.get();
    s.answer();
    expect(await b).toBe('t2');
    s.tokens.invalidate('t1'); // a late 401 for the old token
    expect(await s.tokens.get()).toBe('t2');
    expect(s.fetchToken).toHaveBeenCalledTimes(2);
  });

  it('a failed request is not cached: the next caller tries again', async () => {
    let calls = 0;
    const tokens = new JamfTokenSource(async () => {
      calls++;
      if (calls === 1) throw new Error('down');
      return { token: 'ok', expiresInSeconds: 60 };
    });
    await expect(tokens.get()).rejects.toThrow('down');
    await expect(tokens.get()).resolves.toBe('ok');
  });
});
