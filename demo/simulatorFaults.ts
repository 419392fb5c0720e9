/** Which requests a fault applies to; by default every request, token requests included. */
export interface FaultMatch {
  /** A path prefix, or a pattern tested against the path (no query). */
  path?: string | RegExp;
  method?: string;
  /** Query parameters the request must carry with exactly these values (e.g. `{ page: '2' }`). */
  query?: Record<string, string>;
  /**
   * Let this many matching requests through first: `throttleNext(1, { path, skip: 2 })` answers
   * the third matching request, whichever page it asks for.
   */
  skip?: number;
}

/** What a simulator does instead of answering normally. */
export type FaultAction =
  | { kind: 'throttle'; retryAfterSeconds: number | null }
  | { kind: 'error'; status: number }
  | { kind: 'hang' }
  | { kind: 'reset' };

interface Pending {
  action: FaultAction;
  remaining: number;
  /** Matching requests still to let through before this fault applies. */
  skip: number;
  match: FaultMatch;
}

/**
 * Makes a simulator misbehave on purpose, for tests and benchmarks: a fixed latency on every
 * request, or the next N matching requests answered with 429 + Retry-After, a 5xx, never (a
 * hang, to exercise timeouts) or a dropped connection. Faults queue in the order they are added;
 * each matching request consumes one. `recordCostMs` makes a response's time grow with what it
 * holds (Jamf Pro's inventory pages: records × sections), so page sizes can be chosen by measuring.
 */
export class SimulatorFaults {
  /** Added before every response (faults included). */
  latencyMs = 0;
  /** Added per unit of work a response holds (one record's one section); the simulator says how many. */
  recordCostMs = 0;
  private queue: Pending[] = [];

  constructor(private readonly hooks: { expireTokens?: () => void } = {}) {}

  setLatency(ms: number): this {
    this.latencyMs = Math.max(0, ms);
    return this;
  }

  setRecordCost(ms: number): this {
    this.recordCostMs = Math.max(0, ms);
    return this;
  }

  /** 429 with `Retry-After` (seconds; fractions allowed so tests stay fast; null = no header). */
  throttleNext(count: number, opts: FaultMatch & { retryAfterSeconds?: number | null } = {}): this {
    const { retryAfterSeconds = 1, ...match } = opts;
    return this.add({ kind: 'throttle', retryAfterSeconds }, count, match);
  }

  /** A server error (503 unless told). */
  failNext(count: number, opts: FaultMatch & { status?: number } = {}): this {
    const { status = 503, ...match } = opts;
    return this.add({ kind: 'error', status }, count, match);
  }

  /** Accept the request and never answer it. */
  hangNext(count: number, match: FaultMatch = {}): this {
    return this.add({ kind: 'hang' }, count, match);
  }

  /** Destroy the connection without an answer (the client sees ECONNRESET / socket hang up). */
  resetNext(count: number, match: FaultMatch = {}): this {
    return this.add({ kind: 'reset' }, count, match);
  }

  /** Every access token issued so far stops working now. */
  expireTokens(): void {
    this.hooks.expireTokens?.();
  }

  /** Drops queued faults, latency and record cost. */
  clear(): void {
    this.queue = [];
    this.latencyMs = 0;
    this.recordCostMs = 0;
  }

  /** Faults still queued (sum of their remaining counts). */
  pending(): number {
    return this.queue.reduce((n, p) => n + p.remaining, 0);
  }

  /**
   * For the simulator: the fault this request gets, if any, consuming it. A matching fault still
   * skipping lets the request through (and counts it); later faults are not consulted for it.
   */
  take(method: string, path: string, query?: URLSearchParams): FaultAction | null {
    const i = this.queue.findIndex((p) => matches(p.match, method, path, query));
    const p = this.queue[i];
    if (!p) return null;
    if (p.skip > 0) {
      p.skip--;
      return null;
    }
    if (--p.remaining <= 0) this.queue.splice(i, 1);
    return p.action;
  }

  private add(action: FaultAction, count: number, match: FaultMatch): this {
    const { skip = 0, ...rest } = match;
    if (count > 0) this.queue.push({ action, remaining: count, skip: Math.max(0, skip), match: rest });
    return this;
  }
}

function matches(m: FaultMatch, method: string, path: string, query?: URLSearchParams): boolean {
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (m.query && !Object.entries(m.query).every(([k, v]) => query?.getAll(k).includes(v))) return false;
  if (m.path === undefined) return true;
  return typeof m.path === 'string' ? path.startsWith(m.path) : m.path.test(path);
}
