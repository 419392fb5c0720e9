import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config';

/** Who `GET /metrics` on the bot's own port answers: anyone, a bearer of the token, nobody (404). */
export type MetricsAccess = { kind: 'open' } | { kind: 'token'; token: string } | { kind: 'off' };

/** 127.0.0.0/8, ::1 and localhost: nothing beyond this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Issue 21: metrics say how busy the bot is, which commands fail and how its upstreams answer —
 * not for the internet. On loopback (the demo, a sidecar) `/metrics` is open; beyond loopback
 * it needs METRICS_TOKEN, or is served only on METRICS_PORT (a listener on 127.0.0.1), else it
 * answers 404 and `notice` says how to turn it on. A token, once set, is asked for everywhere.
 */
export function metricsAccess(config: Pick<AppConfig, 'http' | 'metrics'>): {
  main: MetricsAccess;
  loopbackPort: number | null;
  notice: string | null;
} {
  const { token, port } = config.metrics;
  const main: MetricsAccess = token
    ? { kind: 'token', token }
    : isLoopbackHost(config.http.host)
      ? { kind: 'open' }
      : { kind: 'off' };
  const notice =
    main.kind === 'off' && port === null
      ? `metrics: /metrics is not served while the bot listens on ${config.http.host} — set METRICS_TOKEN (Prometheus then sends Authorization: Bearer <token>) or METRICS_PORT (served on 127.0.0.1 only) to turn it on`
      : null;
  return { main, loopbackPort: port, notice };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether an `Authorization` header carries the token: compared in constant time (as digests, so lengths never leak). */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  // Compared even without a bearer, so a missing header takes as long as a wrong one.
  return timingSafeEqual(digest(m?.[1] ?? ''), digest(token)) && m !== null;
}
