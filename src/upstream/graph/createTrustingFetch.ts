import { createSecureContext, rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import type { FetchLike } from './fetchTypes';

export interface TrustingFetch {
  fetch: FetchLike;
  /** Closes pooled connections (the process can exit, tests end cleanly). */
  close(): Promise<void>;
}

/**
 * A fetch that trusts `ca` (PEM) on top of Node's bundled roots: the demo tenant's CA for the
 * simulators, or a TLS-inspecting proxy's CA in production. Without `ca` it is Node's own fetch.
 * Explicit trust per client beats NODE_EXTRA_CA_CERTS, which is read once at process start and
 * applies to every connection the process makes.
 */
export function createTrustingFetch(ca?: string | string[]): TrustingFetch {
  if (ca === undefined) return { fetch: (url, init) => fetch(url, init), close: async () => undefined };
  // One secure context for every connection: building one from ~150 PEM roots costs tens of
  // milliseconds of CPU, too much to repeat per TLS handshake.
  const secureContext = createSecureContext({
    ca: [...rootCertificates, ...(Array.isArray(ca) ? ca : [ca])],
  });
  const agent = new Agent({ connect: { secureContext }, keepAliveTimeout: 10_000 });
  return {
    fetch: (url, init) =>
      undiciFetch(url, {
        ...(init as Parameters<typeof undiciFetch>[1]),
        dispatcher: agent,
      }) as unknown as Promise<Response>,
    close: () => agent.close(),
  };
}
