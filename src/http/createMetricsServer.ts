import http from 'node:http';
import type { Logger } from '../log';

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
 * bot's own port faces the internet without metrics.
 */
export function createMetricsServer(metrics: MetricsSource, logger: Logger): http.Server {
  return http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://metrics').pathname;
    if (req.method !== 'GET' || path !== '/metrics') {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"error":"only GET /metrics is served here"}');
      return;
    }
    writeMetrics(metrics, res).catch((err: unknown) => {
      logger.error({ err }, 'metrics could not be rendered');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
}
