import http from 'node:http';
import https from 'node:https';
import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { TEAMS_LIMITS } from '../src/broadcasts/teamsLimits';
import { connectorInboxPage } from './connectorInboxPage';

/** One call the bot made to the Bot Connector, as the simulator received it. */
export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string | null;
  activityId: string | null;
  /** Activity id the simulator assigned (sends and replies that were delivered). */
  assignedId: string | null;
  body: Record<string, unknown> | null;
  authorization: boolean;
  at: number;
  /** The status the simulator answered (or 0 for a dropped connection). */
  status: number;
}

/** What a request is, for limits and faults. */
export type ConnectorOperation = 'create' | 'send' | 'update' | 'other';

/**
 * A failure served on cue. Matches by operation, conversation or the Entra object id of the
 * member a create-conversation names; `times` limits how often (default: always).
 */
export interface ConnectorFault {
  operation?: ConnectorOperation;
  conversationId?: string;
  memberAadObjectId?: string;
  /** HTTP status, or `reset` to drop the connection without an answer. */
  status: number | 'reset';
  /** `error.code` in the body, e.g. `ConversationBlockedByUser`. */
  code?: string;
  message?: string;
  retryAfterSeconds?: number;
  times?: number;
}

/** Limits the simulator enforces (429 + `Retry-After` when exceeded; the request is not delivered). */
export interface ConnectorLimits {
  appPerSecond: number;
  perConversation: { limit: number; windowMs: number }[];
}

export { TEAMS_LIMITS };

export interface ConnectorSimulatorOptions {
  tls?: { cert: string; key: string };
  /** Added before every answer (the request is recorded on arrival, as the service acts on it). */
  latencyMs?: number;
  /** Enforce Teams' rate limits (off by default: command tests post many replies at once). */
  limits?: boolean | Partial<ConnectorLimits>;
  /** Keep every request body (default true; the benchmark keeps only what it counts). */
  recordBodies?: boolean;
  /** Serve `GET /demo/inbox`: what each user received, cards rendered (demo mode). */
  inboxPage?: { names?: (aadObjectId: string) => string | null };
  /**
   * Who has the app installed (the demo tenant shares this with the Graph simulator, which
   * installs it). A create-conversation naming a user without it, or a send into such a user's
   * 1:1, is refused as Teams does: 403 `BotNotInConversationRoster`. Default: installed for all.
   */
  appInstalls?: ConnectorAppInstalls;
}

/** See `ConnectorSimulatorOptions.appInstalls` (implemented by `TeamsAppInstallations`). */
export interface ConnectorAppInstalls {
  isInstalledFor(aadObjectId: string): boolean;
  isInstalledIn(conversationId: string): boolean;
}

export interface ConnectorStats {
  requests: number;
  delivered: number;
  created: number;
  throttled: number;
  faults: number;
}

export interface ConnectorSimulator {
  /** The `serviceUrl` to put on activities (ends with `/`). */
  serviceUrl: string;
  calls: ConnectorCall[];
  /** Activities sent (new messages and replies), in order. */
  sent(): Record<string, unknown>[];
  /** Resolves when at least `n` activities were sent, or rejects after `timeoutMs`. */
  waitForSent(n: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  /** New activities delivered per conversation (replies and updates excluded). */
  deliveredByConversation(): Map<string, number>;
  /** Conversations that received more than one new activity matching `filter` (default: any). */
  duplicates(filter?: (activity: Record<string, unknown>) => boolean): string[];
  /** The 1:1 conversation the simulator created for a user (the id is stable, as in Teams). */
  conversationFor(aadObjectId: string): string;
  /** Serve a failure on cue; returns a function that removes it. */
  fault(f: ConnectorFault): () => void;
  clearFaults(): void;
  /** Arrival times (epoch ms) of delivered new activities, in order. */
  deliveryTimes(): number[];
  /** Change the latency or limits while running (the benchmark's phases). */
  configure(opts: Pick<ConnectorSimulatorOptions, 'latencyMs' | 'limits'>): void;
  stats: ConnectorStats;
  reset(): void;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

/** The 1:1 conversation id the simulator gives a user: stable, as Teams' is. */
export const conversationIdFor = (aadObjectId: string): string =>
  `a:1${createHash('sha256').update(aadObjectId).digest('base64url').slice(0, 32)}`;

function resolveLimits(l: ConnectorSimulatorOptions['limits']): ConnectorLimits | null {
  if (!l) return null;
  return l === true ? TEAMS_LIMITS : { ...TEAMS_LIMITS, ...l };
}

/** Times of recent requests, for sliding-window limits. */
class Window {
  private readonly times: number[] = [];
  private head = 0;
  constructor(private readonly keepMs: number) {}
  /** Requests after `now - ms`. */
  count(now: number, ms: number): number {
    this.prune(now);
    let n = 0;
    for (let i = this.times.length - 1; i >= this.head && this.times[i]! > now - ms; i--) n++;
    return n;
  }
  /** When the `limit`-th newest request inside `ms` leaves the window. */
  freeAt(now: number, ms: number, limit: number): number {
    const idx = this.times.length - limit;
    return idx >= this.head ? this.times[idx]! + ms : now;
  }
  add(now: number): void {
    this.times.push(now);
  }
  private prune(now: number): void {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.keepMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
  }
  empty(now: number): boolean {
    this.prune(now);
    return this.head >= this.times.length;
  }
}

/**
 * A stand-in for the Bot Connector service (`serviceUrl`): it accepts what the bot sends —
 * create conversation, send, reply, update, delete, members — answers the way the real
 * service does (`{id}`), and records everything for tests and the demo. Optionally it enforces
 * Teams' rate limits (429 + `Retry-After`), adds latency and fails on cue (403 blocked, 404,
 * 412, 5xx, dropped connections). HTTPS when given a certificate, plain HTTP otherwise.
 */
export async function startConnectorSimulator(
  opts: ConnectorSimulatorOptions = {},
): Promise<ConnectorSimulator> {
  const calls: ConnectorCall[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let latencyMs = opts.latencyMs ?? 0;
  let limits = resolveLimits(opts.limits);
  const recordBodies = opts.recordBodies ?? true;
  const stats: ConnectorStats = { requests: 0, delivered: 0, created: 0, throttled: 0, faults: 0 };
  let faults: (ConnectorFault & { left: number })[] = [];
  const appWindow = new Window(1_000);
  const conversationWindows = new Map<string, Window>();
  const delivered = new Map<string, Record<string, unknown>[]>();
  /** Who each created 1:1 conversation is with (Entra object id). */
  const conversationMembers = new Map<string, string>();
  let deliveredCount = 0;
  const notify = () => {
    for (const w of waiters.splice(0)) {
      if (deliveredCount >= w.n) w.resolve();
      else waiters.push(w);
    }
  };
  const conversationFor = conversationIdFor;

  /** Null when the request may proceed; else the seconds to wait. */
  const throttle = (conversationId: string | null, now: number): number | null => {
    if (!limits) return null;
    let waitUntil = 0;
    if (appWindow.count(now, 1_000) >= limits.appPerSecond) {
      waitUntil = Math.max(waitUntil, appWindow.freeAt(now, 1_000, limits.appPerSecond));
    }
    const keep = Math.max(...limits.perConversation.map((w) => w.windowMs), 1);
    const conv = conversationId
      ? (conversationWindows.get(conversationId) ??
        conversationWindows.set(conversationId, new Window(keep)).get(conversationId)!)
      : null;
    if (conv) {
      for (const w of limits.perConversation) {
        if (conv.count(now, w.windowMs) >= w.limit)
          waitUntil = Math.max(waitUntil, conv.freeAt(now, w.windowMs, w.limit));
      }
    }
    if (waitUntil > 0) return Math.max(1, Math.ceil((waitUntil - now) / 1000));
    appWindow.add(now);
    conv?.add(now);
    if (conversationWindows.size > 50_000) {
      for (const [k, w] of conversationWindows) if (w.empty(now)) conversationWindows.delete(k);
    }
    return null;
  };

  const findFault = (op: ConnectorOperation, conversationId: string | null, member: string | null) => {
    const f = faults.find(
      (x) =>
        x.left !== 0 &&
        (x.operation === undefined || x.operation === op) &&
        (x.conversationId === undefined || x.conversationId === conversationId) &&
        (x.memberAadObjectId === undefined || x.memberAadObjectId === member),
    );
    if (f && f.left > 0) f.left--;
    return f;
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
      const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        const send = () => {
          if (res.destroyed) return;
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(payload));
        };
        if (latencyMs > 0) setTimeout(send, latencyMs);
        else send();
      };
      if (chunks.length) {
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          answer(400, { error: { code: 'BadSyntax' } });
          return;
        }
      }
      if (opts.inboxPage && req.method === 'GET' && url.pathname === '/demo/inbox') {
        const names = opts.inboxPage.names ?? (() => null);
        const page = connectorInboxPage(
          [...delivered.keys()].map((conversationId) => {
            const member = conversationMembers.get(conversationId) ?? null;
            return {
              conversationId,
              user: member ? (names(member) ?? member) : null,
              activities: calls
                .filter((c) => c.conversationId === conversationId && c.assignedId && !c.activityId)
                .map((c) => ({ at: c.at, activity: c.body ?? {} })),
            };
          }),
          new Date(),
        );
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(page);
        return;
      }
      if (parts[0] !== 'v3' || parts[1] !== 'conversations') {
        answer(404, { error: { code: 'NotFound', message: 'Unknown route' } });
        return;
      }
      const method = req.method ?? 'GET';
      const call: ConnectorCall = {
        method,
        path: url.pathname,
        conversationId: parts[2] ?? null,
        activityId: parts[3] === 'activities' ? (parts[4] ?? null) : null,
        assignedId: null,
        body: recordBodies ? body : null,
        authorization: typeof req.headers.authorization === 'string',
        at: Date.now(),
        status: 0,
      };
      calls.push(call);
      stats.requests++;
      const op: ConnectorOperation =
        method === 'POST' && parts.length === 2
          ? 'create'
          : method === 'POST' && parts[3] === 'activities'
            ? 'send'
            : method === 'PUT'
              ? 'update'
              : 'other';
      const members = (body?.members as { id?: string; aadObjectId?: string }[] | undefined) ?? [];
      const member = op === 'create' ? (members[0]?.aadObjectId ?? members[0]?.id ?? null) : null;
      const createdId = op === 'create' && member ? conversationFor(member) : null;
      const limitKey = op === 'create' ? createdId : call.conversationId;

      const retryAfter = op === 'other' ? null : throttle(limitKey, call.at);
      if (retryAfter !== null) {
        stats.throttled++;
        call.status = 429;
        answer(
          429,
          {
            error: {
              code: 'TooManyRequests',
              message: 'Too many requests: slow down and retry after the delay.',
            },
          },
          { 'retry-after': String(retryAfter) },
        );
        return;
      }
      const fault = findFault(op, call.conversationId, member);
      if (fault) {
        stats.faults++;
        if (fault.status === 'reset') {
          req.socket.destroy();
          return;
        }
        call.status = fault.status;
        answer(
          fault.status,
          { error: { code: fault.code ?? 'ServiceError', message: fault.message ?? 'Simulated failure' } },
          fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
        );
        return;
      }
      const installs = opts.appInstalls;
      if (
        installs &&
        ((op === 'create' && member !== null && !installs.isInstalledFor(member)) ||
          (op === 'send' && call.conversationId !== null && !installs.isInstalledIn(call.conversationId)))
      ) {
        call.status = 403;
        answer(403, {
          error: {
            code: 'BotNotInConversationRoster',
            message: 'The bot is not part of the conversation roster.',
          },
        });
        return;
      }
      if (op === 'create') {
        if (!createdId) {
          call.status = 400;
          answer(400, { error: { code: 'BadArgument', message: 'members[0] is required' } });
          return;
        }
        stats.created++;
        if (member) conversationMembers.set(createdId, member);
        call.status = 201;
        answer(201, { id: createdId });
      } else if (op === 'send') {
        call.assignedId = randomUUID();
        call.status = 201;
        stats.delivered++;
        deliveredCount++;
        if (!call.activityId) {
          const list = delivered.get(call.conversationId!) ?? [];
          list.push(recordBodies ? (body ?? {}) : {});
          delivered.set(call.conversationId!, list);
        }
        answer(201, { id: call.assignedId });
      } else if (method === 'PUT' && parts[3] === 'activities' && call.activityId) {
        call.status = 200;
        answer(200, { id: call.activityId });
      } else if (method === 'DELETE' && parts[3] === 'activities') {
        call.status = 200;
        answer(200, {});
      } else if (method === 'GET' && parts[3] === 'members') {
        call.status = 200;
        answer(200, []);
      } else {
        call.status = 405;
        answer(405, { error: { code: 'MethodNotAllowed' } });
      }
      notify();
    });
  };

  const server = opts.tls
    ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, handler)
    : http.createServer(handler);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const serviceUrl = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}/`;
  const sent = () =>
    calls.filter((c) => c.method === 'POST' && c.assignedId !== null).map((c) => c.body ?? {});

  return {
    serviceUrl,
    calls,
    sent,
    stats,
    waitForSent: (n, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        if (deliveredCount >= n) return resolve(sent());
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
    deliveryTimes: () =>
      calls
        .filter((c) => c.method === 'POST' && c.assignedId !== null && c.activityId === null)
        .map((c) => c.at),
    deliveredByConversation: () => new Map([...delivered].map(([k, v]) => [k, v.length])),
    duplicates: (filter = () => true) =>
      [...delivered].filter(([, list]) => list.filter(filter).length > 1).map(([k]) => k),
    conversationFor,
    fault(f) {
      const entry = { ...f, left: f.times ?? -1 };
      faults.push(entry);
      return () => {
        faults = faults.filter((x) => x !== entry);
      };
    },
    clearFaults: () => {
      faults = [];
    },
    configure(o) {
      if (o.latencyMs !== undefined) latencyMs = o.latencyMs;
      if (o.limits !== undefined) limits = resolveLimits(o.limits);
    },
    reset: () => {
      calls.length = 0;
      delivered.clear();
      deliveredCount = 0;
      Object.assign(stats, { requests: 0, delivered: 0, created: 0, throttled: 0, faults: 0 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
