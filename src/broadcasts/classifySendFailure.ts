import type { FailReason, InDoubtReason } from '../compliance/campaignTypes';
import { InstallRefusedError } from './proactiveInstaller';
import { ConnectorSendError } from './reminderTransport';

/** What to do with a failed Bot Connector call. */
export type SendFailureKind =
  | { kind: 'throttled'; retryAfterMs: number | null }
  | { kind: 'transient'; retryAfterMs: number | null; detail: string }
  /** Teams may have acted on it: a send is not repeated (in doubt); a create may be. */
  | { kind: 'ambiguous'; reason: InDoubtReason; detail: string }
  | { kind: 'permanent'; reason: FailReason; detail: string };

/** Answers that say the service did not act on the request: safe to send again. */
const NOT_ACTED_STATUS = new Set([401, 408, 412]);

/**
 * Socket errors raised before any byte reached the service: nothing was listening, the name did
 * not resolve, the route or the TLS handshake failed, or undici's connect timed out. Node's
 * `http` (botbuilder's `ConnectorClient`, through @typespec/ts-http-runtime) reports them as a
 * `RestError` with the socket's `code`; undici, axios and node-fetch carry the same codes.
 */
const NOT_CONNECTED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TLS_CODE = /^(CERT_|UNABLE_TO_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/** Timeouts once the request was out: the answer, not the connection, was late. */
const NO_ANSWER_CODES = new Set([
  'SEND_TIMEOUT',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Sorts a failure. Teams has no idempotency key for a send, so the question for every failure
 * is whether Teams may already have delivered the message:
 * - **certainly not** → retried: 429 (waits for `Retry-After`), 412, 408, 401 (a token refresh
 *   fixes it), 503 *with* `Retry-After` (the service refused it), and socket errors before the
 *   request was written (a socket that never connected or never took the whole request —
 *   `requestWritten: false`; when the HTTP layer could not tell, the codes of refused, DNS,
 *   unreachable, TLS handshake);
 * - **perhaps** → `ambiguous`, in doubt, never retried blindly: 502/504 (a gateway lost the
 *   answer), 500 or 503 without `Retry-After`, any socket error after the request was written
 *   (whatever its code: a TLS error mid-stream too), a reset, hang-up or timeout when the HTTP
 *   layer could not tell;
 * - **never will** → permanent: 403 "user blocked the conversation", 403 "tenant admin disabled
 *   this bot", app not installed, user or conversation not found, other 4xx.
 */
export function classifySendFailure(e: unknown): SendFailureKind {
  if (e instanceof InstallRefusedError)
    return { kind: 'permanent', reason: 'install_refused', detail: e.detail };
  if (!(e instanceof ConnectorSendError)) {
    return { kind: 'transient', retryAfterMs: null, detail: e instanceof Error ? e.message : String(e) };
  }
  // A network failure on a kept-alive socket says so: a peer that closed an idle connection.
  const reused = e.status === null && e.reusedSocket === true ? ' (reused connection)' : '';
  const detail = `${e.status ?? 'network'}${e.code ? ` ${e.code}` : ''}${reused}`;
  if (e.status === null) return classifyNetworkFailure(e, detail);
  if (e.status === 429) return { kind: 'throttled', retryAfterMs: e.retryAfterMs };
  if (NOT_ACTED_STATUS.has(e.status) || (e.status === 503 && e.retryAfterMs !== null)) {
    return { kind: 'transient', retryAfterMs: e.retryAfterMs, detail };
  }
  if (e.status === 502 || e.status === 504) return { kind: 'ambiguous', reason: 'gateway_error', detail };
  if (e.status >= 500) return { kind: 'ambiguous', reason: 'server_error', detail };
  const code = (e.code ?? '').toLowerCase();
  // Not Teams refusing: the bot knows no Bot Connector URL to start a 1:1 from (no channel seen yet).
  if (code === 'noserviceurl') return { kind: 'permanent', reason: 'no_conversation', detail };
  if (code.includes('blocked')) return { kind: 'permanent', reason: 'blocked', detail };
  if (code.includes('disabled')) return { kind: 'permanent', reason: 'bot_disabled', detail };
  if (code.includes('roster') || code.includes('notinstalled') || code.includes('not_installed')) {
    return { kind: 'permanent', reason: 'not_installed', detail };
  }
  if (code.includes('user') || code.includes('member')) {
    return { kind: 'permanent', reason: 'user_not_found', detail };
  }
  if (e.status === 404) return { kind: 'permanent', reason: 'conversation_not_found', detail };
  if (e.status === 403) return { kind: 'permanent', reason: 'forbidden', detail };
  if (e.status >= 400) return { kind: 'permanent', reason: 'bad_request', detail };
  return { kind: 'ambiguous', reason: 'server_error', detail };
}

/**
 * No HTTP answer: the write evidence first — a request written whole may have reached Teams
 * whatever the socket said after (an `ERR_SSL_*` raised mid-stream, a reset); one not written
 * cannot have. Only when the HTTP layer could not tell (`requestWritten: null`) does the code decide.
 */
function classifyNetworkFailure(e: ConnectorSendError, detail: string): SendFailureKind {
  const code = (e.code ?? '').toUpperCase();
  const lost: SendFailureKind = NO_ANSWER_CODES.has(code)
    ? { kind: 'ambiguous', reason: 'no_answer', detail }
    : { kind: 'ambiguous', reason: 'connection_lost', detail };
  if (e.requestWritten === true) return lost;
  if (e.requestWritten === false || NOT_CONNECTED_CODES.has(code) || TLS_CODE.test(code)) {
    return { kind: 'transient', retryAfterMs: null, detail };
  }
  return lost;
}

/** Retry delay after `attempt` transient failures: exponential with full jitter, bounded. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
