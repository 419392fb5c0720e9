/**
 * Coded errors. Upstream failures become an `UpstreamError` with a code; the bot's one error
 * sink (src/teams/errorSink.ts) turns any of these into a friendly error card that names the
 * service and says what to try. Messages never carry secrets or raw response bodies.
 */

export type UpstreamService = 'graph' | 'jamf' | 'teams' | 'store';

export type UpstreamErrorCode =
  | 'throttled'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'timeout'
  | 'unavailable'
  | 'bad_response'
  | 'bad_request'
  | 'conflict'
  /** A delta or paging token the service no longer accepts (expired): start the round again. */
  | 'gone';

export interface UpstreamErrorOptions {
  status?: number;
  retryAfterMs?: number;
  /** The request, e.g. `GET /devices` — path only, never a token or a secret. */
  request?: string;
  /** For a `forbidden` Graph answer: the application permission the request needs (a name, never a token). */
  permission?: string;
  cause?: unknown;
}

/** A call to Microsoft Graph, Jamf Pro or the Bot Connector that failed, with a code. */
export class UpstreamError extends Error {
  readonly service: UpstreamService;
  readonly code: UpstreamErrorCode;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly request?: string;
  readonly permission?: string;

  constructor(
    service: UpstreamService,
    code: UpstreamErrorCode,
    message: string,
    opts: UpstreamErrorOptions = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'UpstreamError';
    this.service = service;
    this.code = code;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
    this.request = opts.request;
    this.permission = opts.permission;
  }
}

/** Why the bot's own database cannot be used right now. */
export type StoreUnavailableReason = 'unreachable' | 'read_only' | 'full';

/**
 * The bot's database (SQLite file or PostgreSQL) cannot be used right now: not reachable
 * (restart, failover, network), read-only, or full. Raised at the store's boundary
 * (`store/guardStore.ts`) in place of the driver's error, so every caller can tell an outage
 * from a bug: commands answer with the "database unavailable" card, loops wait and try again.
 * The message names the database without credentials.
 */
export class StoreUnavailableError extends Error {
  constructor(
    readonly reason: StoreUnavailableReason,
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'StoreUnavailableError';
  }
}

export function isStoreUnavailable(e: unknown): e is StoreUnavailableError {
  return e instanceof StoreUnavailableError;
}

/** A setup mistake found at start-up: names the setting and says how to fix it. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Input a person typed or a card sent that we cannot act on; the message is shown to them. */
export class UserInputError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UserInputError';
  }
}

/** The caller may not do this; the message is shown to them and the refusal is audited. */
export class AccessDeniedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccessDeniedError';
  }
}

export function isUpstreamError(e: unknown): e is UpstreamError {
  return e instanceof UpstreamError;
}
