import http from 'node:http';

/**
 * A poster of Teams activities to a bot's /api/messages over a keep-alive pool, as Teams holds
 * connections: `post` resolves with the round trip in ms on HTTP 200, rejects otherwise; `close`
 * ends the pool.
 */
export function activityPoster(
  botUrl: string,
  maxSockets: number,
): { post: (body: string) => Promise<number>; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const target = new URL(`${botUrl}/api/messages`);
  const post = (body: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200
              ? resolve(performance.now() - t0)
              : reject(new Error(`HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}
