import http from 'node:http';
import type { Logger } from '../log';
import { bearerMatches, type MetricsAccess } from './metricsAccess';

/** What renders Prometheus text (the app's metrics). */
export interface MetricsSource {
  render(): Promise<string>;
  contentType: string;
}

/** Writes the metrics as the answer to a `GET /metrics`. */
export async function writeMetrics(metrics: MetricsSource, res: http.ServerResponse): Promise<void> {
  const body = await metrics.render();
  res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
  res.end(body);
}

/**
 * `METRICS_PORT` (issue 21): a listener of its own, bound by the app to 127.0.0.1 only, that
 * answers `GET /metrics` and nothing else — for a scraper on the same host or pod, while the
 * bot's own port faces the internet without metrics. With METRICS_TOKEN set too, it asks for
 * the token like the bot's port.
 */
export function createMetricsServer(
  metrics: MetricsSource,
  logger: Logger,
  access: MetricsAccess = { kind: 'open' },
): http.Server {
  return http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://metrics').pathname;
    if (req.method !== 'GET' || path !== '/metrics' || access.kind === 'off') {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"error":"only GET /metrics is served here"}');
      return;
    }
    // METRICS_TOKEN set as well: asked for here too (the token is the operator's rule).
    if (access.kind === 'token' && !bearerMatches(req.headers.authorization, access.token)) {
      res
        .writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="metrics"' })
        .end('{"error":"metrics need the bearer token (METRICS_TOKEN)"}');
      return;
    }
    writeMetrics(metrics, res).catch((err: unknown) => {
      logger.error({ err }, 'metrics could not be rendered');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
}
