import http from 'node:http';
import https from 'node:https';
import { randomUUID, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { TEAMS_LIMITS } from '../src/broadcasts/teamsLimits';
import { checkBotToken } from './checkBotToken';
import { connectorInboxPage } from './connectorInboxPage';
import { personalChatIds } from './personalChatIds';

/** One call the bot made to the Bot Connector, as the simulator received it. */
export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string | null;
  /**
   * The chat the conversation id names, canonical: a user's 1:1 is one chat whether the bot
   * names it by its `a:` id or by the Graph chat id (`19:…@unq.gbl.spaces`); a channel thread
   * (`…;messageid=…`) is its channel. Null for creates and unknown conversations.
   */
  chat: string | null;
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
  /**
   * HTTP status, `reset` to drop the connection without an answer, or `hang` to keep it open
   * and never answer (with `afterDelivery` only: the client's own timeout ends it).
   */
  status: number | 'reset' | 'hang';
  /** `error.code` in the body, e.g. `ConversationBlockedByUser`. */
  code?: string;
  message?: string;
  retryAfterSeconds?: number;
  times?: number;
  /**
   * Only every n-th matching request gets the fault (the n-th, 2n-th, …; the others pass): "a
   * share of sends", deterministically. `times` then counts faults served. Default 1: each.
   */
  every?: number;
  /**
   * "Delivered, then `status`": the activity reaches the conversation (recorded and counted as
   * delivered, visible in the inbox) but the answer is lost — a 502/504 from a gateway
   * (`status: 502`), the connection reset after the request was read (`status: 'reset'`), or no
   * answer at all (`status: 'hang'`). Sends only.
   */
  afterDelivery?: boolean;
}

/** A conversation Teams knows: its tenant and, for a 1:1, the user (Entra object id). */
export interface KnownConversation {
  id: string;
  tenantId: string | null;
  aadObjectId?: string | null;
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
  /**
   * The tenant the users are in. A user's 1:1 (either id) belongs to it, and a create naming
   * another tenant is refused (403). Unset: a 1:1 belongs to the tenant its first request names.
   */
  tenantId?: string;
  /** The bot's Entra app id, which Graph chat ids of its 1:1s name (unset: not checked). */
  botAppId?: string;
  /**
   * Check the bot's own token on every request, as the Bot Connector does when the bot has
   * credentials: a JWT for `audience` (Bot Framework: `https://api.botframework.com`), within its
   * lifetime, signed by `publicKey` when given — else 401. Unset: no token is asked for, which is
   * botbuilder's local mode (no app id and password: it sends no Authorization header at all).
   * The demo runs without credentials, so the demo stand-in leaves it unset; the production-mode
   * test (test/e2e/botAuthentication.test.ts) sets it.
   */
  expectToken?: { audience: string; publicKey?: KeyObject };
  /**
   * Conversations Teams knows besides users' 1:1s (which it always knows): channels the bot is
   * in, group chats. Any other conversation id is 404 `ConversationNotFound`, as in Teams; more
   * can be added while running (`knowConversation`, `learn`).
   */
  conversations?: KnownConversation[];
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
  /**
   * Typing indicators, which Teams shows for a moment and never keeps in the conversation: not
   * in `sent()`. `before` is how many activities had been sent when it arrived.
   */
  typing(): Array<{ body: Record<string, unknown>; before: number }>;
  /** Resolves when at least `n` activities were sent, or rejects after `timeoutMs`. */
  waitForSent(n: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  /** New activities delivered per conversation (replies and updates excluded). */
  deliveredByConversation(): Map<string, number>;
  /** Conversations that received more than one new activity matching `filter` (default: any). */
  duplicates(filter?: (activity: Record<string, unknown>) => boolean): string[];
  /** The 1:1 conversation the simulator created for a user (the id is stable, as in Teams). */
  conversationFor(aadObjectId: string): string;
  /** The canonical chat a conversation id names (see `ConnectorCall.chat`), or null if unknown. */
  chatOf(conversationId: string): string | null;
  /** Teams knows this conversation from now on (a channel the bot was added to, a group chat). */
  knowConversation(c: KnownConversation): void;
  /**
   * Teams knows the conversation an incoming activity comes from (Teams only posts activities
   * of conversations it has): test harnesses call this for each activity they post to the bot.
   */
  learn(activity: unknown): void;
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
export const conversationIdFor = (aadObjectId: string): string => personalChatIds.conversationId(aadObjectId);

/** Bot Framework's answer for a conversation id it does not know. */
export const CONVERSATION_NOT_FOUND = {
  error: { code: 'ConversationNotFound', message: 'Conversation not found.' },
};

/** A channel thread (`19:…@thread.tacv2;messageid=…`) is its channel's conversation. */
const withoutThread = (conversationId: string): string => conversationId.split(';')[0] ?? conversationId;

/** The tenant an activity or create request names (`conversation.tenantId`, `channelData.tenant.id`, `tenantId`). */
function tenantsNamed(body: Record<string, unknown> | null): string[] {
  if (!body) return [];
  const conversation = body.conversation as { tenantId?: unknown } | undefined;
  const channelData = body.channelData as { tenant?: { id?: unknown } } | undefined;
  return [body.tenantId, conversation?.tenantId, channelData?.tenant?.id]
    .filter((t): t is string => typeof t === 'string' && t !== '')
    .map((t) => t.toLowerCase());
}

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
  let faults: (ConnectorFault & { left: number; seen: number })[] = [];
  const appWindow = new Window(1_000);
  const conversationWindows = new Map<string, Window>();
  /** New activities delivered, per chat (canonical id). */
  const delivered = new Map<string, Record<string, unknown>[]>();
  /** Conversations Teams knows besides 1:1s (which are derived from their ids), by canonical id. */
  const known = new Map<string, { tenantId: string | null; member: string | null }>();
  /** The tenant of each 1:1 that has one (the option's, or the first a request named). */
  const personalTenants = new Map<string, string>();
  const homeTenant = opts.tenantId?.toLowerCase() ?? null;
  /** A user's 1:1 (either id) is always known (its tenant may be learnt); any other id is added. */
  const knowConversation = (c: KnownConversation) => {
    const tenantId = c.tenantId?.toLowerCase() ?? null;
    const member = personalChatIds.memberOf(c.id, opts.botAppId);
    if (member !== null) {
      if (tenantId && !homeTenant) personalTenants.set(conversationIdFor(member), tenantId);
      return;
    }
    known.set(withoutThread(c.id), { tenantId, member: c.aadObjectId?.toLowerCase() ?? null });
  };
  /** The chat a conversation id names and who it is with, or null when Teams does not know it. */
  const resolve = (conversationId: string): { chat: string; member: string | null } | null => {
    const member = personalChatIds.memberOf(conversationId, opts.botAppId);
    if (member !== null) return { chat: conversationIdFor(member), member };
    const chat = withoutThread(conversationId);
    const entry = known.get(chat);
    return entry ? { chat, member: entry.member } : null;
  };
  for (const c of opts.conversations ?? []) knowConversation(c);
  const tenantOf = (chat: string): string | null => {
    const entry = known.get(chat);
    return entry ? entry.tenantId : (homeTenant ?? personalTenants.get(chat) ?? null);
  };
  let deliveredCount = 0;
  const typing: Array<{ body: Record<string, unknown>; before: number }> = [];
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
    if (!f || ++f.seen % Math.max(1, f.every ?? 1) !== 0) return undefined;
    if (f.left > 0) f.left--;
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
            const member = resolve(conversationId)?.member ?? null;
            return {
              conversationId,
              user: member ? (names(member) ?? member) : null,
              activities: calls
                .filter((c) => c.chat === conversationId && c.assignedId && !c.activityId)
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
      const target = parts[2] !== undefined ? resolve(parts[2]) : null;
      const call: ConnectorCall = {
        method,
        path: url.pathname,
        conversationId: parts[2] ?? null,
        chat: target?.chat ?? null,
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
      const limitKey = op === 'create' ? createdId : (call.chat ?? call.conversationId);

      if (opts.expectToken) {
        const why = checkBotToken(req.headers.authorization, opts.expectToken, call.at);
        if (why !== null) {
          call.status = 401;
          answer(401, {
            error: {
              code: 'Unauthorized',
              message: `Authorization has been denied for this request: ${why}.`,
            },
          });
          return;
        }
      }

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
      const lateFault = fault?.afterDelivery && op === 'send' ? fault : null;
      if (fault && !lateFault) {
        stats.faults++;
        if (fault.status === 'reset') {
          req.socket.destroy();
          return;
        }
        if (fault.status === 'hang') return;
        call.status = fault.status;
        answer(
          fault.status,
          { error: { code: fault.code ?? 'ServiceError', message: fault.message ?? 'Simulated failure' } },
          fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
        );
        return;
      }
      if (op !== 'create' && parts[2] !== undefined && !target) {
        call.status = 404;
        answer(404, CONVERSATION_NOT_FOUND);
        return;
      }
      // The tenant a request names must be the conversation's (a create: the users' tenant).
      const named = tenantsNamed(body);
      const conversationTenant = target ? tenantOf(target.chat) : homeTenant;
      if (op === 'create' && named.length === 0) {
        call.status = 400;
        answer(400, { error: { code: 'BadArgument', message: 'Could not parse tenant id.' } });
        return;
      }
      const mismatch = named.find((t) => t !== (conversationTenant ?? named[0]));
      if (mismatch !== undefined) {
        call.status = 403;
        answer(403, {
          error: {
            code: 'Forbidden',
            message: `The tenant ${mismatch} does not match the conversation's tenant.`,
          },
        });
        return;
      }
      if (target && !known.has(target.chat) && !conversationTenant && named[0])
        personalTenants.set(target.chat, named[0]);
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
        if (!homeTenant && named[0]) personalTenants.set(createdId, named[0]);
        call.chat = createdId;
        call.status = 201;
        answer(201, { id: createdId });
      } else if (op === 'send' && body?.type === 'typing') {
        typing.push({ body, before: sent().length });
        call.status = 201;
        answer(201, { id: randomUUID() });
      } else if (op === 'send') {
        call.assignedId = randomUUID();
        call.status = 201;
        stats.delivered++;
        deliveredCount++;
        if (!call.activityId) {
          const list = delivered.get(call.chat!) ?? [];
          list.push(recordBodies ? (body ?? {}) : {});
          delivered.set(call.chat!, list);
        }
        if (lateFault) {
          stats.faults++;
          if (lateFault.status === 'reset' || lateFault.status === 'hang') {
            // Delivered, then the connection dropped (or went silent) before any answer.
            if (lateFault.status === 'reset') req.socket.destroy();
            notify();
            return;
          }
          call.status = lateFault.status;
          answer(call.status, {
            error: {
              code: lateFault.code ?? 'BadGateway',
              message: lateFault.message ?? 'Simulated failure',
            },
          });
        } else answer(201, { id: call.assignedId });
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
    typing: () => [...typing],
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
    chatOf: (conversationId) => resolve(conversationId)?.chat ?? null,
    knowConversation,
    learn(activity) {
      const a = (activity ?? {}) as {
        conversation?: { id?: unknown; conversationType?: unknown; tenantId?: unknown };
        channelData?: { tenant?: { id?: unknown } };
        from?: { aadObjectId?: unknown };
      };
      if (typeof a.conversation?.id !== 'string') return;
      const tenant = a.conversation.tenantId ?? a.channelData?.tenant?.id;
      const personal = a.conversation.conversationType === 'personal';
      knowConversation({
        id: a.conversation.id,
        tenantId: typeof tenant === 'string' ? tenant : null,
        aadObjectId: personal && typeof a.from?.aadObjectId === 'string' ? a.from.aadObjectId : null,
      });
    },
    fault(f) {
      const entry = { ...f, left: f.times ?? -1, seen: 0 };
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
      typing.length = 0;
      Object.assign(stats, { requests: 0, delivered: 0, created: 0, throttled: 0, faults: 0 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
