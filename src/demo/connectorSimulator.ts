import http from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot Connector, as the simulator received it. */
export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string | null;
  activityId: string | null;
  /** Activity id the simulator assigned (sends and replies). */
  assignedId: string | null;
  body: Record<string, unknown> | null;
  authorization: boolean;
  at: number;
}

export interface ConnectorSimulator {
  /** The `serviceUrl` to put on activities (ends with `/`). */
  serviceUrl: string;
  calls: ConnectorCall[];
  /** Activities sent (new messages and replies), in order. */
  sent(): Record<string, unknown>[];
  /** Resolves when at least `n` activities were sent, or rejects after `timeoutMs`. */
  waitForSent(n: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  reset(): void;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

/**
 * A stand-in for the Bot Connector service (`serviceUrl`): it accepts what the bot sends —
 * create conversation, send, reply, update, delete, members — answers the way the real
 * service does (`{id}`), and records everything for tests and the demo. HTTPS when given a
 * certificate, plain HTTP otherwise (local mode sends without a token).
 */
export async function startConnectorSimulator(
  opts: { tls?: { cert: string; key: string } } = {},
): Promise<ConnectorSimulator> {
  const calls: ConnectorCall[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const notify = () => {
    const sentCount = calls.filter((c) => c.assignedId !== null && c.method === 'POST').length;
    for (const w of waiters.splice(0)) {
      if (sentCount >= w.n) w.resolve();
      else waiters.push(w);
    }
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      let body: Record<string, unknown> | null = null;
      if (chunks.length) {
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'BadSyntax' } }));
          return;
        }
      }
      const call: ConnectorCall = {
        method: req.method ?? 'GET',
        path: url.pathname,
        conversationId: parts[0] === 'v3' && parts[1] === 'conversations' ? (parts[2] ?? null) : null,
        activityId: parts[3] === 'activities' ? (parts[4] ?? null) : null,
        assignedId: null,
        body,
        authorization: typeof req.headers.authorization === 'string',
        at: Date.now(),
      };
      const json = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (parts[0] !== 'v3' || parts[1] !== 'conversations') {
        json(404, { error: { code: 'NotFound', message: 'Unknown route' } });
        return;
      }
      calls.push(call);
      if (call.method === 'POST' && parts.length === 2) {
        json(201, { id: `a:${randomUUID()}` }); // create conversation
      } else if (call.method === 'POST' && parts[3] === 'activities') {
        call.assignedId = randomUUID();
        json(201, { id: call.assignedId });
      } else if (call.method === 'PUT' && parts[3] === 'activities' && call.activityId) {
        json(200, { id: call.activityId });
      } else if (call.method === 'DELETE' && parts[3] === 'activities') {
        json(200, {});
      } else if (call.method === 'GET' && parts[3] === 'members') {
        json(200, []);
      } else {
        json(405, { error: { code: 'MethodNotAllowed' } });
      }
      notify();
    });
  };

  const server = opts.tls
    ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const serviceUrl = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}/`;
  const sent = () =>
    calls.filter((c) => c.method === 'POST' && c.assignedId !== null).map((c) => c.body ?? {});

  return {
    serviceUrl,
    calls,
    sent,
    waitForSent: (n, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        if (sent().length >= n) return resolve(sent());
        const timer = setTimeout(
          () => reject(new Error(`expected ${n} activities, the connector received ${sent().length}`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(sent());
          },
        });
      }),
    reset: () => {
      calls.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
