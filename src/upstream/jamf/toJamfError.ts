import axios from 'axios';
import { UpstreamError } from '../../errors';
import { codeForStatus, parseRetryAfter } from '../retryPolicy';
import { apiErrorWire } from './jamfWire';

/** Network failures worth another try; anything else without a response is a setup problem. */
const TRANSIENT = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

export interface JamfFailure {
  error: UpstreamError;
  /** False for failures another attempt cannot fix (bad certificate, unknown host). */
  retryable: boolean;
}

/**
 * Any failure of one Jamf Pro request → a coded `UpstreamError`. The message names the request
 * (method and path only) and, for an HTTP error, Jamf's own error code; it never carries the
 * token, the client secret or the axios error (whose config holds both), so it is safe to log.
 */
export function jamfFailure(e: unknown, request: string, timedOut: boolean): JamfFailure {
  if (e instanceof UpstreamError) return { error: e, retryable: true };
  if (timedOut) {
    return {
      error: new UpstreamError('jamf', 'timeout', `Jamf Pro did not answer ${request} in time`, { request }),
      retryable: true,
    };
  }
  const code = axios.isAxiosError(e) ? (e.code ?? '') : '';
  const cause = (e as { cause?: { code?: string } } | null)?.cause?.code ?? '';
  const sysCode = TRANSIENT.has(code) ? code : cause || code;
  if (/CERT|SELF_SIGNED|TLS|SSL|VERIFY|SIGNATURE|ALTNAME/i.test(sysCode)) {
    return {
      error: new UpstreamError(
        'jamf',
        'unavailable',
        `Jamf Pro's TLS certificate is not trusted (${sysCode}) for ${request}`,
        {
          request,
        },
      ),
      retryable: false,
    };
  }
  if (sysCode === 'ENOTFOUND') {
    return {
      error: new UpstreamError(
        'jamf',
        'unavailable',
        `Jamf Pro's host name does not resolve (${request}): check JAMF_URL`,
        {
          request,
        },
      ),
      retryable: false,
    };
  }
  const message =
    e instanceof Error && /socket hang up/i.test(e.message) ? 'socket hang up' : sysCode || 'network error';
  return {
    error: new UpstreamError('jamf', 'unavailable', `Jamf Pro connection failed on ${request} (${message})`, {
      request,
    }),
    retryable: true,
  };
}

/** A non-2xx response → a coded error, with `Retry-After` when the server sent one. */
export function jamfStatusError(
  status: number,
  headers: Record<string, unknown>,
  data: unknown,
  request: string,
  nowMs: number,
): UpstreamError {
  const header = headers['retry-after'];
  const retryAfterMs = typeof header === 'string' ? parseRetryAfter(header, nowMs) : undefined;
  const parsed = apiErrorWire.safeParse(data);
  const first = parsed.success ? parsed.data.errors?.[0] : undefined;
  const detail = first?.code
    ? `: ${first.code}${first.description ? ` — ${first.description.slice(0, 160)}` : ''}`
    : '';
  const hint =
    status === 401
      ? ' (check the API client id and secret)'
      : status === 403
        ? ' (the API role lacks a privilege)'
        : '';
  return new UpstreamError(
    'jamf',
    codeForStatus(status),
    `Jamf Pro answered ${status} to ${request}${detail}${hint}`,
    {
      status,
      retryAfterMs,
      request,
    },
  );
}
