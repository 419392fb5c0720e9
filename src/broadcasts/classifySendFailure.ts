import type { FailReason } from '../compliance/campaignTypes';
import { InstallRefusedError } from './proactiveInstaller';
import { ConnectorSendError } from './reminderTransport';

/** What to do with a failed Bot Connector call. */
export type SendFailureKind =
  | { kind: 'throttled'; retryAfterMs: number | null }
  | { kind: 'transient'; retryAfterMs: number | null; detail: string }
  | { kind: 'permanent'; reason: FailReason; detail: string };

const TRANSIENT_STATUS = new Set([401, 408, 412, 500, 502, 503, 504]);

/**
 * Sorts a failure the way FACTS.md and the field reports do: 429 waits for `Retry-After`;
 * 412/5xx/network retry with backoff (401 too: a token refresh fixes it); 403 "user blocked the
 * conversation", 403 "tenant admin disabled this bot", app not installed, user or conversation
 * not found are permanent — recorded with their reason, never retried.
 */
export function classifySendFailure(e: unknown): SendFailureKind {
  if (e instanceof InstallRefusedError)
    return { kind: 'permanent', reason: 'install_refused', detail: e.detail };
  if (!(e instanceof ConnectorSendError)) {
    return { kind: 'transient', retryAfterMs: null, detail: e instanceof Error ? e.message : String(e) };
  }
  const code = (e.code ?? '').toLowerCase();
  const detail = `${e.status ?? 'network'}${e.code ? ` ${e.code}` : ''}`;
  if (e.status === 429) return { kind: 'throttled', retryAfterMs: e.retryAfterMs };
  if (e.status === null || TRANSIENT_STATUS.has(e.status)) {
    return { kind: 'transient', retryAfterMs: e.retryAfterMs, detail };
  }
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
  if (e.status !== null && e.status >= 400 && e.status < 500) {
    return { kind: 'permanent', reason: 'bad_request', detail };
  }
  return { kind: 'transient', retryAfterMs: e.retryAfterMs, detail };
}

/** Retry delay after `attempt` transient failures: exponential with full jitter, bounded. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
