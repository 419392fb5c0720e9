import { randomUUID } from 'node:crypto';

/** One request as the simulated Graph sees it, whether it came over HTTP or inside a `$batch`. */
export interface GraphSimRequest {
  method: string;
  /** Path below the version segment, e.g. `/devices/abc`, percent-decoded per segment later. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: unknown;
}

export interface GraphSimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Graph's error envelope: `{error: {code, message, innerError: {date, request-id, client-request-id}}}`. */
export function graphError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  clientRequestId?: string,
): GraphSimResponse {
  const requestId = randomUUID();
  return {
    status,
    headers: { 'request-id': requestId, ...headers },
    body: {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
          'request-id': requestId,
          'client-request-id': clientRequestId ?? requestId,
        },
      },
    },
  };
}

/** Thrown by route handlers to answer with a Graph error. */
export class GraphSimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GraphSimError';
  }
}
