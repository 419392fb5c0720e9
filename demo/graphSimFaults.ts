/**
 * Which requests a fault applies to: Graph calls (default), sub-requests inside `$batch`, or
 * token requests. A `graph` fault that names a `path` also hits a `$batch` step to that path
 * (when it throttles or fails): "this resource is unavailable" holds however the client sends.
 */
export type FaultTarget = 'graph' | 'batchItem' | 'token';

export interface FaultMatch {
  target?: FaultTarget;
  /** Graph-relative path prefix (e.g. `/devices`) or a pattern; for `token`, the full path. */
  path?: string | RegExp;
  method?: string;
  /**
   * Let this many matching requests through first: `{ path: '/devices/delta', after: 2 }` hits
   * the third page of a delta round, not the first.
   */
  after?: number;
}

export type FaultKind = 'throttle' | 'fail' | 'hang' | 'reset';

export interface ArmedFault {
  kind: FaultKind;
  remaining: number;
  match: FaultMatch;
  /** `throttle`: the `Retry-After` value in seconds; `null` sends no header. */
  retryAfterSeconds: number | null;
  /** `fail`: the status to answer with. */
  status: number;
  /** Matching requests still to let through before this fault applies. */
  passes: number;
}

/**
 * Misbehaviour on demand, for tests and demos: slow answers, throttling (also inside a `$batch`),
 * server errors, requests that never answer, reset connections, tokens that expire now.
 * Each armed fault applies to the next N matching requests, first armed first.
 */
export class GraphFaults {
  /** Added before every answer (Graph and token endpoints). */
  latencyMs = 0;
  private armed: ArmedFault[] = [];

  constructor(private readonly onExpireTokens: () => void) {}

  /**
   * Next `count` matching requests answer 429 with `Retry-After` (default 1 s; Graph asks for up
   * to minutes, e.g. `retryAfterSeconds: 120`).
   */
  throttleNext(count: number, opts: FaultMatch & { retryAfterSeconds?: number | null } = {}): void {
    this.arm('throttle', count, opts, {
      retryAfterSeconds: opts.retryAfterSeconds === undefined ? 1 : opts.retryAfterSeconds,
    });
  }

  /** Next `count` matching requests answer with a server error (default 503). */
  failNext(count: number, opts: FaultMatch & { status?: number } = {}): void {
    this.arm('fail', count, opts, { status: opts.status ?? 503 });
  }

  /** Next `count` matching requests never get an answer (until the client gives up or the server closes). */
  hangNext(count: number, opts: FaultMatch = {}): void {
    this.arm('hang', count, opts);
  }

  /** Next `count` matching requests have their connection destroyed without an answer. */
  resetNext(count: number, opts: FaultMatch = {}): void {
    this.arm('reset', count, opts);
  }

  /** Every access token issued so far is rejected from now on (401 `InvalidAuthenticationToken`). */
  expireTokensNow(): void {
    this.onExpireTokens();
  }

  clear(): void {
    this.armed = [];
    this.latencyMs = 0;
  }

  /** Takes the first armed fault that matches, consuming one of its uses. */
  take(target: FaultTarget, method: string, path: string): ArmedFault | undefined {
    const fault = this.armed.find(
      (f) =>
        f.remaining > 0 &&
        (matches(f.match, target, method, path) ||
          (target === 'batchItem' &&
            f.match.path !== undefined &&
            (f.kind === 'throttle' || f.kind === 'fail') &&
            matches(f.match, 'graph', method, path))),
    );
    if (!fault) return undefined;
    if (fault.passes > 0) {
      fault.passes--;
      return undefined;
    }
    fault.remaining--;
    this.armed = this.armed.filter((f) => f.remaining > 0);
    return fault;
  }

  private arm(kind: FaultKind, count: number, match: FaultMatch, extra: Partial<ArmedFault> = {}): void {
    this.armed.push({
      kind,
      remaining: count,
      match,
      retryAfterSeconds: 1,
      status: 503,
      passes: match.after ?? 0,
      ...extra,
    });
  }
}

function matches(m: FaultMatch, target: FaultTarget, method: string, path: string): boolean {
  if ((m.target ?? 'graph') !== target) return false;
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (m.path === undefined) return true;
  return typeof m.path === 'string' ? path.startsWith(m.path) : m.path.test(path);
}
