import { configSecrets, loadConfig } from '../../src/config';
import { configProblems as problemsOf } from '../helpers/configProblems';
import { bearerMatches, isForwarded, isLoopbackHost, metricsAccess } from '../../src/http/metricsAccess';

const TOKEN = 'a-metrics-token-of-enough-length-42';

describe('METRICS_TOKEN and METRICS_PORT', () => {
  it('reads both; neither set is null', () => {
    expect(loadConfig({}).metrics).toEqual({ token: null, port: null });
    expect(loadConfig({ METRICS_TOKEN: TOKEN, METRICS_PORT: '9464' }).metrics).toEqual({
      token: TOKEN,
      port: 9464,
    });
  });

  it('names each mistake with its fix, never repeating the token', () => {
    const short = problemsOf({ METRICS_TOKEN: 'short-secret' });
    expect(short).toEqual([
      expect.stringMatching(
        /^METRICS_TOKEN: must be at least 24 characters — set it to a long random string, e\.g\. the output of `openssl rand -hex 32`/,
      ),
    ]);
    expect(short.join('\n')).not.toContain('short-secret');
    expect(problemsOf({ METRICS_TOKEN: `${TOKEN}\u00e9` })).toEqual([
      expect.stringMatching(/^METRICS_TOKEN: must be printable ASCII without spaces/),
    ]);
    expect(problemsOf({ METRICS_PORT: 'nine' })).toEqual([
      expect.stringMatching(
        /^METRICS_PORT: must be a whole number — set it to a free port for \/metrics on 127\.0\.0\.1 only/,
      ),
    ]);
    expect(problemsOf({ METRICS_PORT: '70000' })).toEqual([
      expect.stringMatching(/^METRICS_PORT: must be at most 65535/),
    ]);
    expect(problemsOf({ PORT: '3978', METRICS_PORT: '3978' })).toEqual([
      'METRICS_PORT: the same as PORT (3978) — set it to a free port for /metrics on 127.0.0.1 only, e.g. 9464 (not PORT)',
    ]);
  });

  it('redacts the token from logs like the other secrets', () => {
    expect(configSecrets(loadConfig({ METRICS_TOKEN: TOKEN }))).toContain(TOKEN);
  });
});

describe('metricsAccess', () => {
  /** Local mode (no MICROSOFT_APP_ID) unless `tenant`. */
  const policy = (host: string, token: string | null, port: number | null, tenant = false) =>
    metricsAccess({ http: { host }, metrics: { token, port }, bot: { localMode: !tenant } });

  it('is open on loopback in local mode, token-only once a token is set, off beyond loopback without one', () => {
    expect(policy('127.0.0.1', null, null)).toEqual({
      main: { kind: 'open' },
      loopbackPort: null,
      loopbackAccess: { kind: 'open' },
      notice: null,
    });
    expect(policy('::1', null, null).main).toEqual({ kind: 'open' });
    expect(policy('127.0.0.1', TOKEN, null).main).toEqual({ kind: 'token', token: TOKEN });
    expect(policy('0.0.0.0', TOKEN, null)).toEqual({
      main: { kind: 'token', token: TOKEN },
      loopbackPort: null,
      loopbackAccess: { kind: 'token', token: TOKEN },
      notice: null,
    });
    expect(policy('0.0.0.0', null, 9464)).toEqual({
      main: { kind: 'off' },
      loopbackPort: 9464,
      loopbackAccess: { kind: 'open' },
      notice: null,
    });
    // Both: METRICS_PORT asks for the token too.
    expect(policy('0.0.0.0', TOKEN, 9464, true).loopbackAccess).toEqual({ kind: 'token', token: TOKEN });
    const off = policy('10.0.0.4', null, null);
    expect(off.main).toEqual({ kind: 'off' });
    expect(off.notice).toMatch(/listens on 10\.0\.0\.4 — set METRICS_TOKEN .* or METRICS_PORT/);
  });

  it('in tenant mode a loopback HOST is not enough (a dev tunnel forwards to it): off without a token or port', () => {
    const tunnel = policy('127.0.0.1', null, null, true);
    expect(tunnel.main).toEqual({ kind: 'off' });
    expect(tunnel.notice).toMatch(
      /^metrics: \/metrics is not served while the bot runs in tenant mode \(MICROSOFT_APP_ID set: a dev tunnel or proxy may expose 127\.0\.0\.1\) — set METRICS_TOKEN .* or METRICS_PORT/,
    );
    expect(policy('127.0.0.1', TOKEN, null, true).main).toEqual({ kind: 'token', token: TOKEN });
    expect(policy('127.0.0.1', null, 9464, true)).toMatchObject({ main: { kind: 'off' }, notice: null });
  });

  it('knows a request a proxy or tunnel forwarded', () => {
    expect(isForwarded({ 'x-forwarded-for': '203.0.113.9' })).toBe(true);
    expect(isForwarded({ 'x-forwarded-host': 'abc-3978.euw.devtunnels.ms' })).toBe(true);
    expect(isForwarded({ forwarded: 'for=203.0.113.9' })).toBe(true);
    expect(isForwarded({ host: '127.0.0.1:3978' })).toBe(false);
  });

  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.4', 'bot.example.com', '128.0.0.1'])
      expect(isLoopbackHost(h)).toBe(false);
  });

  it('accepts only `Bearer <the token>`', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer  ${TOKEN}`, TOKEN)).toBe(true);
    for (const h of [
      undefined,
      '',
      'Bearer',
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      `Token ${TOKEN}`,
      TOKEN,
    ])
      expect(bearerMatches(h, TOKEN)).toBe(false);
  });
});
