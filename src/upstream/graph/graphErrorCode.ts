import type { UpstreamErrorCode } from '../../errors';
import { codeForStatus } from '../retryPolicy';

/**
 * Graph's words for a delta or paging token it no longer accepts: `syncStateNotFound` (an expired
 * delta token: "a 40X-series error with error codes such as syncStateNotFound", delta-query-overview,
 * "Token duration"; a 400 for directory objects), `resyncRequired`, and the directory's
 * `Directory_ExpiredPageToken` for a stale `$skiptoken`.
 */
const EXPIRED_TOKEN_CODES = new Set(['syncStateNotFound', 'resyncRequired', 'Directory_ExpiredPageToken']);

/**
 * The bot's code for a Graph error answer: by status, except that an expired token is `gone`
 * (as is any 410: Graph's "synchronization reset", delta-query-overview) — start the round again.
 */
export function graphErrorCode(status: number, body: unknown): UpstreamErrorCode {
  if (status === 410) return 'gone';
  const byStatus = codeForStatus(status);
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  const refused = byStatus === 'bad_request' || byStatus === 'not_found';
  return refused && typeof code === 'string' && EXPIRED_TOKEN_CODES.has(code) ? 'gone' : byStatus;
}
