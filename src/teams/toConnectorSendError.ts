import { ConnectorSendError } from '../broadcasts/reminderTransport';

interface RestErrorLike {
  name?: string;
  statusCode?: number;
  code?: string;
  message?: string;
  response?: { headers?: { get?(name: string): string | undefined }; bodyAsText?: string | null };
}

/** Seconds or an HTTP date, as `Retry-After` may carry. */
function parseRetryAfter(value: string | undefined | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/**
 * botbuilder's `RestError` (an HTTP answer: `statusCode`, the body's `error.code`, `Retry-After`)
 * or a socket failure (`code`: `ECONNRESET`, `ECONNREFUSED`, `ENOTFOUND`, a TLS code …) → the
 * dispatcher's `ConnectorSendError`. `evidence` is what `reminderSendPolicy` saw: whether the
 * request was written before the failure, whether its own time limit cut it (`SEND_TIMEOUT`), and
 * whether the socket was a reused keep-alive one.
 */
export function toConnectorSendError(
  e: unknown,
  evidence: { requestWritten: boolean | null; timedOut: boolean; reusedSocket?: boolean | null } = {
    requestWritten: null,
    timedOut: false,
  },
): ConnectorSendError {
  if (e instanceof ConnectorSendError) return e;
  const err = (e ?? {}) as RestErrorLike;
  const status = typeof err.statusCode === 'number' ? err.statusCode : null;
  let code: string | null = null;
  const body = err.response?.bodyAsText;
  if (body) {
    try {
      const parsed = JSON.parse(body) as { error?: { code?: unknown } };
      if (typeof parsed.error?.code === 'string') code = parsed.error.code;
    } catch {
      // not JSON: keep the status only
    }
  }
  if (status === null) {
    if (evidence.timedOut) code = 'SEND_TIMEOUT';
    else if (typeof err.code === 'string' && err.code !== 'REQUEST_SEND_ERROR') code = err.code;
  }
  const retryAfterMs = parseRetryAfter(err.response?.headers?.get?.('retry-after'));
  return new ConnectorSendError(
    `Bot Connector ${status ?? 'network error'}${code ? ` ${code}` : ''}`,
    status,
    code,
    retryAfterMs,
    status === null ? evidence.requestWritten : true,
    evidence.reusedSocket ?? null,
  );
}
