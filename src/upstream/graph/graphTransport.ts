import { randomUUID } from 'node:crypto';
import { AuthenticationHandler, Client, ResponseType } from '@microsoft/microsoft-graph-client';
import { ConfigError, UpstreamError } from '../../errors';
import type { Logger } from '../../log';
import { parseRetryAfter, withRetry, type RetryPolicy } from '../retryPolicy';
import { CALL_STATE_OPTION, type GraphCallState } from './graphCallState';
import { ErrorCaptureHandler, InjectedFetchHandler } from './graphMiddleware';
import type { FetchLike } from './fetchTypes';
import { graphErrorCode } from './graphErrorCode';
import { missingPermission } from './missingPermission';
import type { GraphTokenProvider } from './graphTokenProvider';

export type GraphMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface GraphCall {
  method: GraphMethod;
  /** Relative to the base URL (`/devices?…`) or absolute on the same origin (an `@odata.nextLink`). */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Safe to repeat after a timeout or 5xx. Default: every method but POST. */
  idempotent?: boolean;
}

export interface GraphReply {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Hosts the Graph SDK attaches tokens to without being told. */
const GRAPH_HOSTS = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'graph.microsoft.de',
  'microsoftgraph.chinacloudapi.cn',
  'canary.graph.microsoft.com',
]);

/** Marks an error `withRetry` must not repeat (a non-idempotent call that may have been applied). */
class DoNotRepeat {
  constructor(readonly error: UpstreamError) {}
}

/**
 * One Graph request at a time, done properly: through the Graph SDK (`Client.initWithMiddleware`
 * with its `AuthenticationHandler`, so the token is attached exactly where the SDK would — the
 * custom base host is listed in `customHosts`), the injected fetch, a hard timeout per attempt,
 * one token refresh on 401, and `withRetry` for 429/5xx/network/timeouts honouring `Retry-After`.
 * Every call ends in a reply or an `UpstreamError('graph', …)`.
 */
export class GraphTransport {
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly client: Client;

  constructor(
    baseUrl: string,
    private readonly auth: GraphTokenProvider,
    fetchFn: FetchLike,
    private readonly timeoutMs: number,
    private readonly policy: RetryPolicy,
    private readonly logger: Logger,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    const base = new URL(this.baseUrl);
    if (base.protocol !== 'https:') {
      throw new ConfigError([
        `Graph base URL must start with https:// (the Graph SDK sends no token over http): ${base.origin}`,
      ]);
    }
    this.origin = base.origin;
    const customHosts = GRAPH_HOSTS.has(base.hostname) ? undefined : new Set([base.hostname]);
    this.client = Client.initWithMiddleware({
      middleware: [
        new ErrorCaptureHandler(),
        new AuthenticationHandler(auth),
        new InjectedFetchHandler(fetchFn),
      ],
      ...(customHosts ? { customHosts } : {}),
    });
  }

  /**
   * The call as a route template for logs and errors, e.g. `GET /users/{id}/registeredDevices`:
   * no query and no ids, UPNs or names — those can be what a person typed.
   */
  describe(call: Pick<GraphCall, 'method' | 'url'>): string {
    const path = new URL(this.absolute(call.url)).pathname.slice(new URL(this.baseUrl).pathname.length);
    const template = path
      .split('/')
      .map((seg) => {
        if (seg === '' || /^[A-Za-z$.]+$/.test(seg)) return seg;
        const key = /^([A-Za-z]+)\(/.exec(seg);
        return key ? `${key[1]}({key})` : '{id}';
      })
      .join('/');
    return `${call.method} ${template || '/'}`;
  }

  /** Relative, or absolute on this Graph's origin: a link this transport will follow. */
  isOwnLink(url: string): boolean {
    return !/^https?:\/\//i.test(url) || new URL(url).origin === this.origin;
  }

  absolute(url: string): string {
    if (/^https?:\/\//i.test(url)) {
      if (!this.isOwnLink(url)) {
        throw new UpstreamError(
          'graph',
          'bad_response',
          'Graph sent a link to another host; not following it',
        );
      }
      return url;
    }
    return `${this.baseUrl}${url.startsWith('/') ? '' : '/'}${url}`;
  }

  /** Sends with retries; resolves only on 2xx, otherwise throws a typed error. */
  async request(call: GraphCall): Promise<GraphReply> {
    const idempotent = call.idempotent ?? call.method !== 'POST';
    const what = this.describe(call);
    try {
      return await withRetry(
        async (n) => {
          try {
            return await this.sendRefreshingToken(call, what, n);
          } catch (e) {
            if (!idempotent && e instanceof UpstreamError && e.code !== 'throttled') throw new DoNotRepeat(e);
            throw e;
          }
        },
        this.policy,
        {
          onRetry: ({ attempt, delayMs, error }) =>
            this.logger.warn(
              { request: what, attempt, delayMs, code: error.code, status: error.status },
              'graph retry',
            ),
        },
      );
    } catch (e) {
      if (e instanceof DoNotRepeat) throw e.error;
      throw e;
    }
  }

  /** One attempt, plus one immediate retry with a fresh token when Graph rejects the token. */
  private async sendRefreshingToken(call: GraphCall, what: string, attempt: number): Promise<GraphReply> {
    let state: GraphCallState = {};
    let reply = await this.sendOnce(call, what, state);
    if (reply.status === 401) {
      this.auth.invalidate(state.bearer?.replace(/^Bearer\s+/i, ''));
      state = {};
      reply = await this.sendOnce(call, what, state);
    }
    this.logger.debug({ request: what, status: reply.status, attempt }, 'graph');
    if (reply.status >= 200 && reply.status < 300) return reply;
    throw this.httpError(what, reply, call);
  }

  /** A single HTTP exchange under a hard deadline (token acquisition included). */
  private async sendOnce(call: GraphCall, what: string, state: GraphCallState): Promise<GraphReply> {
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        ac.abort();
        reject(
          new UpstreamError(
            'graph',
            'timeout',
            `Microsoft Graph did not answer ${what} within ${this.timeoutMs} ms`,
            { request: what },
          ),
        );
      }, this.timeoutMs);
    });
    const exchange = async (): Promise<GraphReply> => {
      // A fresh client-request-id per attempt: Graph echoes it, and support asks for it.
      const req = this.client
        .api(this.absolute(call.url))
        .responseType(ResponseType.RAW)
        .option('signal', ac.signal)
        .option(CALL_STATE_OPTION, state)
        .headers({ ...(call.headers ?? {}), 'client-request-id': randomUUID() });
      const res: Response =
        call.method === 'GET'
          ? await req.get()
          : call.method === 'POST'
            ? await req.post(call.body ?? {})
            : call.method === 'PATCH'
              ? await req.patch(call.body ?? {})
              : call.method === 'PUT'
                ? await req.put(call.body ?? {})
                : await req.delete();
      const text = await res.text();
      let body: unknown = undefined;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          if (res.ok)
            throw new UpstreamError(
              'graph',
              'bad_response',
              `Microsoft Graph answered ${what} with something that is not JSON`,
              { status: res.status, request: what },
            );
        }
      }
      return { status: res.status, headers: res.headers, body };
    };
    try {
      return await Promise.race([exchange(), deadline]);
    } catch (e) {
      throw this.transportError(e, state, what);
    } finally {
      clearTimeout(timer);
      ac.abort();
    }
  }

  private transportError(e: unknown, state: GraphCallState, what: string): UpstreamError {
    if (e instanceof UpstreamError) return e;
    if (state.error instanceof UpstreamError) return state.error;
    return new UpstreamError('graph', 'unavailable', `Could not reach Microsoft Graph for ${what}`, {
      request: what,
      cause: state.error ?? e,
    });
  }

  /** The path below the version, e.g. `/users/x/ownedDevices` (for the permission table). */
  relativePath(url: string): string {
    return new URL(this.absolute(url)).pathname.slice(new URL(this.baseUrl).pathname.length) || '/';
  }

  private httpError(what: string, reply: GraphReply, call: Pick<GraphCall, 'method' | 'url'>): UpstreamError {
    const error = (reply.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const graphCode = error?.code;
    const codeText = typeof graphCode === 'string' ? ` (${graphCode})` : '';
    // A 400 on a write says what Graph disliked (e.g. a dynamic membership rule): worth showing.
    // Graph's messages name properties and values, never tokens.
    const detail =
      reply.status === 400 && typeof error?.message === 'string' && error.message !== ''
        ? `: ${error.message.slice(0, 300)}`
        : '';
    return new UpstreamError(
      'graph',
      graphErrorCode(reply.status, reply.body),
      `Microsoft Graph answered ${reply.status}${codeText} to ${what}${detail}`,
      {
        status: reply.status,
        retryAfterMs: parseRetryAfter(reply.headers.get('retry-after')),
        request: what,
        permission: missingPermission(reply.status, reply.body, call.method, this.relativePath(call.url)),
      },
    );
  }
}
