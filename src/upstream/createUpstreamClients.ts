import type { AppConfig } from '../config';
import type { Logger } from '../log';
import { GraphClient, type GraphClientOptions } from './graph/graphClient';
import { JamfClient } from './jamf/jamfClient';
import type { RetryPolicy } from './retryPolicy';
import type { UpstreamObserver } from './upstreamObserver';

/** Per HTTP attempt; with the retry budget a command still answers inside Teams' 15 s window. */
export const UPSTREAM_TIMEOUT_MS = 8_000;

/** The Graph credential GRAPH_AUTH picks (src/config.ts checked that its settings are there). */
export function graphCredential(
  graph: AppConfig['graph'],
): Pick<GraphClientOptions, 'clientSecret' | 'clientCertificate' | 'managedIdentity' | 'federated'> {
  const managedIdentityClientId = graph.managedIdentityClientId ?? undefined;
  switch (graph.auth) {
    case 'managed-identity':
      return { managedIdentity: { clientId: managedIdentityClientId } };
    case 'federated':
      return { federated: { managedIdentityClientId, audience: graph.federatedAudience } };
    case 'certificate':
      return graph.clientCertificate
        ? {
            clientCertificate: {
              thumbprintSha256: graph.clientCertificate.thumbprintSha256,
              privateKey: graph.clientCertificate.privateKey,
            },
          }
        : {};
    case 'secret':
      return { clientSecret: graph.clientSecret };
  }
}

/** The Graph and Jamf clients as the config describes them — one place for app, tests and benches. */
export function createUpstreamClients(
  config: Pick<AppConfig, 'graph' | 'jamf' | 'tenantId'>,
  opts: { logger?: Logger; timeoutMs?: number; retryPolicy?: RetryPolicy; observer?: UpstreamObserver } = {},
): { graph: GraphClient; jamf: JamfClient } {
  const timeoutMs = opts.timeoutMs ?? UPSTREAM_TIMEOUT_MS;
  const graph = new GraphClient({
    baseUrl: config.graph.baseUrl,
    authorityHost: config.graph.authorityHost,
    tenantId: config.tenantId,
    clientId: config.graph.clientId,
    ...graphCredential(config.graph),
    ca: config.graph.ca,
    timeoutMs,
    retryPolicy: opts.retryPolicy,
    observer: opts.observer,
    logger: opts.logger?.child({ upstream: 'graph' }),
  });
  const jamf = new JamfClient({
    baseUrl: config.jamf.baseUrl,
    clientId: config.jamf.clientId,
    clientSecret: config.jamf.clientSecret,
    ca: config.jamf.ca,
    maxConcurrency: config.jamf.maxConcurrency,
    timeoutMs,
    retryPolicy: opts.retryPolicy,
    observer: opts.observer,
    logger: opts.logger,
  });
  return { graph, jamf };
}
