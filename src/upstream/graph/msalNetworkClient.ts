import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { UpstreamError } from '../../errors';
import { parseRetryAfter } from '../retryPolicy';
import type { FetchLike } from './fetchTypes';

/** What the last token-endpoint exchange went through; msal hides it behind its own errors. */
export interface TokenTransportReport {
  failure?: UpstreamError;
  status?: number;
  retryAfterMs?: number;
}

/**
 * msal-node's HTTP on the client's own fetch, so token requests get the same CA trust, proxy
 * and timeout as Graph calls (msal's default client uses the global fetch, which trusts only the
 * system store). `report` keeps what msal's errors drop: a typed network failure, the status and
 * `Retry-After` of a throttled token request.
 */
export function createMsalNetworkClient(
  fetchFn: FetchLike,
  timeoutMs: number,
  report: TokenTransportReport,
  /** Who answers, for the failure's message. */
  service = 'Entra ID',
): INetworkModule {
  const send = async <T>(
    url: string,
    method: 'GET' | 'POST',
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> => {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    const where = `${method} ${new URL(url).pathname}`;
    try {
      const res = await fetchFn(url, {
        method,
        headers: options?.headers,
        body: method === 'POST' ? (options?.body ?? '') : undefined,
        signal: ac.signal,
      });
      const text = await res.text();
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      report.status = res.status;
      report.retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      let body: unknown = {};
      try {
        body = text === '' ? {} : JSON.parse(text);
      } catch {
        body = {
          error: 'invalid_response',
          error_description: 'The token endpoint did not answer with JSON.',
        };
      }
      return { status: res.status, headers, body: body as T };
    } catch (e) {
      const timedOut = ac.signal.aborted;
      report.failure = new UpstreamError(
        'graph',
        timedOut ? 'timeout' : 'unavailable',
        timedOut
          ? `${service} did not answer ${where} within ${timeoutMs} ms`
          : `Could not reach ${service} for ${where}`,
        { request: where, cause: e },
      );
      throw report.failure;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(url, 'GET', options),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(url, 'POST', options),
  };
}
