import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config';

/** Who `GET /metrics` on the bot's own port answers: anyone, a bearer of the token, nobody (404). */
export type MetricsAccess = { kind: 'open' } | { kind: 'token'; token: string } | { kind: 'off' };

/** 127.0.0.0/8, ::1 and localhost: nothing beyond this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** What decides who may read `/metrics`. */
export interface MetricsAccessConfig {
  http: Pick<AppConfig['http'], 'host'>;
  metrics: AppConfig['metrics'];
  bot: Pick<AppConfig['bot'], 'localMode'>;
}

/**
 * Issue 21: metrics say how busy the bot is, which commands fail and how its upstreams answer —
 * not for the internet. Open only in local mode (no MICROSOFT_APP_ID: the demo, which listens on
 * loopback only). In tenant mode a loopback HOST proves nothing — `atk`'s dev tunnel forwards the
 * internet to 127.0.0.1 — so `/metrics` needs METRICS_TOKEN, or is served only on METRICS_PORT
 * (a listener on 127.0.0.1), else it answers 404 and `notice` says how to turn it on. A token,
 * once set, is asked for on both: the bot's port and METRICS_PORT.
 */
export function metricsAccess(config: MetricsAccessConfig): {
  main: MetricsAccess;
  loopbackPort: number | null;
  /** Who METRICS_PORT's listener answers: a bearer of the token when one is set, else anyone. */
  loopbackAccess: MetricsAccess;
  notice: string | null;
} {
  const { token, port } = config.metrics;
  const { host } = config.http;
  const main: MetricsAccess = token
    ? { kind: 'token', token }
    : config.bot.localMode && isLoopbackHost(host)
      ? { kind: 'open' }
      : { kind: 'off' };
  const where = isLoopbackHost(host)
    ? `the bot runs in tenant mode (MICROSOFT_APP_ID set: a dev tunnel or proxy may expose ${host})`
    : `the bot listens on ${host}`;
  const notice =
    main.kind === 'off' && port === null
      ? `metrics: /metrics is not served while ${where} — set METRICS_TOKEN (Prometheus then sends Authorization: Bearer <token>) or METRICS_PORT (served on 127.0.0.1 only) to turn it on`
      : null;
  return {
    main,
    loopbackPort: port,
    loopbackAccess: token ? { kind: 'token', token } : { kind: 'open' },
    notice,
  };
}

/**
 * A request that came through a proxy or tunnel (it names the client or host it forwarded for):
 * open metrics are for this machine, not for whatever a tunnel forwards to it.
 */
export function isForwarded(headers: Record<string, string | string[] | undefined>): boolean {
  return ['x-forwarded-for', 'x-forwarded-host', 'forwarded'].some((h) => headers[h] !== undefined);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether an `Authorization` header carries the token: compared in constant time (as digests, so lengths never leak). */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  // Compared even without a bearer, so a missing header takes as long as a wrong one.
  return timingSafeEqual(digest(m?.[1] ?? ''), digest(token)) && m !== null;
}
