import { graphError, type GraphSimRequest, type GraphSimResponse } from './graphSimTypes';

/** The one route `handleBatch` serves (the request log's endpoint for a batch envelope). */
export const BATCH_ENDPOINT = 'POST /$batch';

/** Graph's JSON batching limit. */
export const MAX_BATCH_STEPS = 20;

interface BatchStep {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * `POST /$batch`: checks the envelope like Graph (≤ 20 steps, unique ids, relative URLs, a body
 * and Content-Type for writes), runs each step through `runStep` and answers 200 with one response
 * per step — each with its own status, so a 429 can sit inside a successful batch. Responses come
 * back in reverse order: Graph does not promise request order, and clients must match by `id`.
 */
export async function handleBatch(
  req: GraphSimRequest,
  runStep: (step: GraphSimRequest) => Promise<GraphSimResponse>,
): Promise<GraphSimResponse> {
  const crid = req.headers['client-request-id'];
  const steps = (req.body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(steps) || steps.length === 0) {
    return graphError(400, 'BadRequest', 'Invalid batch payload format.', {}, crid);
  }
  if (steps.length > MAX_BATCH_STEPS) {
    return graphError(
      400,
      'BadRequest',
      `Number of batch request steps exceeds the maximum of ${MAX_BATCH_STEPS}.`,
      {},
      crid,
    );
  }
  const ids = new Set<string>();
  for (const s of steps as Partial<BatchStep>[]) {
    if (
      typeof s?.id !== 'string' ||
      s.id === '' ||
      typeof s.method !== 'string' ||
      typeof s.url !== 'string'
    ) {
      return graphError(
        400,
        'BadRequest',
        'Invalid batch payload format: every step needs id, method and url.',
        {},
        crid,
      );
    }
    if (ids.has(s.id))
      return graphError(400, 'BadRequest', `Batch request ids must be unique; '${s.id}' repeats.`, {}, crid);
    ids.add(s.id);
  }
  const responses: Record<string, unknown>[] = [];
  for (const s of steps as BatchStep[]) {
    const headers = Object.fromEntries(
      Object.entries(s.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    let res: GraphSimResponse;
    if (/^[a-z]+:/i.test(s.url)) {
      res = graphError(
        400,
        'BadRequest',
        'Batch step urls must be relative to the version, e.g. /users.',
        {},
        crid,
      );
    } else if (
      ['POST', 'PATCH', 'PUT'].includes(s.method.toUpperCase()) &&
      (s.body === undefined || !headers['content-type'])
    ) {
      res = graphError(
        400,
        'BadRequest',
        `Write request id : ${s.id} does not contain Content-Type header or body.`,
        {},
        crid,
      );
    } else {
      const url = new URL(s.url.startsWith('/') ? s.url : `/${s.url}`, 'https://batch.invalid');
      res = await runStep({
        method: s.method.toUpperCase(),
        path: url.pathname,
        query: url.searchParams,
        headers: { ...headers, 'client-request-id': headers['client-request-id'] ?? crid },
        body: s.body,
      });
    }
    const h: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers ?? {}))
      if (k !== 'request-id') h[k === 'retry-after' ? 'Retry-After' : k] = v;
    if (res.body !== undefined)
      h['Content-Type'] = 'application/json; odata.metadata=minimal; odata.streaming=true';
    responses.push({
      id: s.id,
      status: res.status,
      headers: h,
      ...(res.body === undefined ? {} : { body: res.body }),
    });
  }
  return { status: 200, body: { responses: responses.reverse() } };
}
