import { createSecureContext, rootCertificates } from 'node:tls';
import { Agent, request, type Dispatcher } from 'undici';
import type { FetchLike } from './fetchTypes';

export interface TrustingFetch {
  fetch: FetchLike;
  /** Closes pooled connections (the process can exit, tests end cleanly). */
  close(): Promise<void>;
}

/** Statuses whose answer has no body (a `Response` with one cannot be built). */
const NO_BODY = new Set([101, 103, 204, 205, 304]);

/** `RequestInit.headers` in any of its three shapes, as the plain record undici's `request` takes. */
function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers || Array.isArray(headers)) {
    const out: Record<string, string> = {};
    new Headers(headers).forEach((v, k) => (out[k] = v));
    return out;
  }
  return { ...headers } as Record<string, string>;
}

/**
 * A fetch that trusts `ca` (PEM) on top of Node's bundled roots: the demo tenant's CA for the
 * simulators, or a TLS-inspecting proxy's CA in production. Explicit trust per client beats
 * NODE_EXTRA_CA_CERTS, which is read once at process start and applies to every connection the
 * process makes. Without `ca`, Node's own trust store.
 *
 * It sends with undici's `request` over a keep-alive pool and hands back a WHATWG `Response`
 * built from the whole body: the Graph SDK and msal read every answer in full anyway, and this
 * costs a fraction of `fetch`'s CPU (no web streams per request), which the Graph client feels
 * at a few hundred requests a second. Redirects are not followed (Graph's JSON API sends none;
 * a 3xx comes back as it is and becomes an error).
 */
export function createTrustingFetch(ca?: string | string[]): TrustingFetch {
  // One secure context for every connection: building one from ~150 PEM roots costs tens of
  // milliseconds of CPU, too much to repeat per TLS handshake.
  const connect =
    ca === undefined
      ? undefined
      : {
          secureContext: createSecureContext({
            ca: [...rootCertificates, ...(Array.isArray(ca) ? ca : [ca])],
          }),
        };
  const agent = new Agent({ ...(connect ? { connect } : {}), keepAliveTimeout: 10_000 });
  const send: FetchLike = async (url, init) => {
    const res = await request(url, {
      dispatcher: agent,
      method: (init.method ?? 'GET').toUpperCase() as Dispatcher.HttpMethod,
      headers: headerRecord(init.headers),
      body: (init.body ?? undefined) as string | Buffer | undefined,
      signal: init.signal ?? undefined,
    });
    const text = await res.body.text();
    const headers = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (Array.isArray(v)) for (const x of v) headers.append(k, x);
      else if (v !== undefined) headers.set(k, v);
    }
    return new Response(NO_BODY.has(res.statusCode) ? null : text, { status: res.statusCode, headers });
  };
  return { fetch: send, close: () => agent.close() };
}
