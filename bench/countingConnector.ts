import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Bot Connector stand-in that keeps nothing: it counts what it is sent and spots the error card
 * (it carries a "Reference:" line), so a long run does not grow the process; it answers every
 * POST (a reply, a proactive conversation, a card update) as Teams does when it accepts one. The
 * one body kept is the last that matches `keep` (e.g. the card a bench needs to press a button of).
 */
export async function countingConnector(keep?: RegExp) {
  let answers = 0;
  let errorCards = 0;
  let kept: string | null = null;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      answers++;
      const body = Buffer.concat(chunks).toString('utf8');
      if (/Reference: [0-9a-f]{8}/.test(body)) errorCards++;
      if (keep?.test(body)) kept = body;
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{"id":"1"}');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    counts: () => ({ answers, errorCards }),
    /** The last body that matched `keep`, or null. */
    kept: () => kept,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
