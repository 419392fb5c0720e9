import { z } from 'zod';
import { UpstreamError } from '../../errors';
import type { Logger } from '../../log';
import { parseRetryAfter, type RetryPolicy } from '../retryPolicy';
import type { GraphTransport } from './graphTransport';
import { graphErrorCode } from './graphErrorCode';
import { missingPermission } from './missingPermission';
import type { GraphBatchRequest, GraphBatchResult } from './graphTypes';

/** Graph's JSON batching limit. */
export const MAX_BATCH_SIZE = 20;

const envelopeSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

function header(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

export interface BatchHooks {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

/**
 * Runs any number of requests as Graph `$batch` calls of at most 20. The batch call itself is
 * retried by the transport; inside a 200 batch, only the steps that were throttled (or hit a 5xx,
 * when they are safe to repeat) are sent again, after the longest `Retry-After` among them
 * (exponential backoff without one), bounded by the retry policy's attempts and time budget.
 * Results come back in request order, each with its own status and, for failures, a typed error.
 */
export async function runGraphBatch(
  transport: GraphTransport,
  requests: GraphBatchRequest[],
  policy: RetryPolicy,
  logger: Logger,
  hooks: BatchHooks = {},
): Promise<GraphBatchResult[]> {
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = hooks.now ?? Date.now;
  const random = hooks.random ?? Math.random;
  const results: (GraphBatchResult | undefined)[] = new Array(requests.length).fill(undefined);
  const relative = (url: string): string => {
    const abs = transport.absolute(url);
    return abs.slice(transport.baseUrl.length) || '/';
  };
  const describe = (i: number): string =>
    transport.describe({ method: requests[i]?.method ?? 'GET', url: requests[i]?.url ?? '/' });
  const fail = (
    i: number,
    status: number,
    headers: Record<string, string>,
    body: unknown,
  ): GraphBatchResult => {
    const graphCode = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
    return {
      status,
      headers,
      body,
      error: new UpstreamError(
        'graph',
        graphErrorCode(status, body),
        `Microsoft Graph answered ${status}${typeof graphCode === 'string' ? ` (${graphCode})` : ''} to ${describe(i)} in a batch`,
        {
          status,
          retryAfterMs: parseRetryAfter(header(headers, 'retry-after')),
          request: describe(i),
          permission: missingPermission(
            status,
            body,
            requests[i]?.method ?? 'GET',
            transport.relativePath(requests[i]?.url ?? '/'),
          ),
        },
      ),
    };
  };

  for (let start = 0; start < requests.length; start += MAX_BATCH_SIZE) {
    let pending = requests.map((_, i) => i).slice(start, start + MAX_BATCH_SIZE);
    const started = now();
    for (let attempt = 1; pending.length > 0; attempt++) {
      const steps = pending.map((i) => {
        const r = requests[i] as GraphBatchRequest;
        const headers = {
          ...(r.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(r.headers ?? {}),
        };
        return {
          id: String(i),
          method: r.method,
          url: relative(r.url),
          ...(Object.keys(headers).length ? { headers } : {}),
          ...(r.body !== undefined ? { body: r.body } : {}),
        };
      });
      const reply = await transport.request({
        method: 'POST',
        url: '/$batch',
        body: { requests: steps },
        idempotent: pending.every((i) => requests[i]?.idempotent ?? requests[i]?.method === 'GET'),
      });
      const parsed = envelopeSchema.safeParse(reply.body);
      if (!parsed.success)
        throw new UpstreamError(
          'graph',
          'bad_response',
          'Microsoft Graph sent a $batch answer that does not fit',
        );
      const byId = new Map(parsed.data.responses.map((r) => [r.id, r]));
      const again: number[] = [];
      let waitMs = 0;
      for (const i of pending) {
        const r = byId.get(String(i));
        if (!r) {
          results[i] = fail(i, 502, {}, undefined);
          continue;
        }
        const headers = r.headers ?? {};
        const safe = requests[i]?.idempotent ?? requests[i]?.method !== 'POST';
        if (r.status === 429 || (safe && RETRYABLE_STATUS.has(r.status))) {
          again.push(i);
          const backoff = Math.round(
            random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)),
          );
          waitMs = Math.max(waitMs, parseRetryAfter(header(headers, 'retry-after')) ?? backoff);
        }
        results[i] =
          r.status >= 200 && r.status < 300
            ? { status: r.status, headers, body: r.body }
            : fail(i, r.status, headers, r.body);
      }
      if (again.length === 0) break;
      if (attempt >= policy.maxAttempts || now() - started + waitMs > policy.budgetMs) {
        logger.warn({ steps: again.length, attempt }, 'graph batch: giving up on throttled steps');
        break;
      }
      logger.warn({ steps: again.length, attempt, delayMs: waitMs }, 'graph batch: retrying throttled steps');
      await sleep(waitMs);
      pending = again;
    }
  }
  return results.map((r, i) => r ?? fail(i, 502, {}, undefined));
}
