import { X509Certificate, randomUUID } from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { DemoTls } from './demoTls';
import type { DemoFleet } from './fleetTypes';
import { BATCH_ENDPOINT, handleBatch } from './graphSimBatch';
import {
  ENTRA_SIM_ENDPOINTS,
  entraEndpoint,
  handleEntraRequest,
  type EntraSimContext,
} from './graphSimEntra';
import type { GraphFleetMutations } from './fleetMutations';
import { GraphFaults, type ArmedFault } from './graphSimFaults';
import { graphFleetMutations } from './graphSimMutations';
import { GraphSimRequestLog, type GraphSimLogEntry } from './graphSimRequestLog';
import { GRAPH_SIM_ROUTE_ENDPOINTS, graphEndpointOf, routeGraphRequest } from './graphSimRoutes';
import { GRAPH_APP_PERMISSIONS } from '../src/upstream/graph/graphPermissions';
import type { FederatedCredential } from './graphSimClientAssertion';
import { EntraTokenIssuer } from './graphSimTokenIssuer';
import { permissionDenied } from './graphSimPermissions';
import { graphError, type GraphSimRequest, type GraphSimResponse } from './graphSimTypes';
import type { TeamsAppInstallations } from './teamsAppInstallations';

export interface GraphSimulatorOptions {
  fleet: DemoFleet;
  tls: DemoTls;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Added to every answer. */
  latencyMs?: number;
  /** Lifetime of issued access tokens (default 3600). */
  tokenTtlSeconds?: number;
  /** The org app catalog and who has the bot installed (`/appCatalogs/teamsApps`, `…/teamwork/installedApps`). */
  teamsApps?: TeamsAppInstallations;
  /** Listen address (default 127.0.0.1) and port (default: any free one). */
  host?: string;
  port?: number;
  /** The tenant's managed identities (`managedIdentityToken`); at most one system-assigned. */
  managedIdentities?: readonly SimManagedIdentity[];
  /** Federated identity credentials on the app registration `clientId`. */
  federatedCredentials?: readonly FederatedCredential[];
  /** Certificates (PEM) uploaded to the app registration `clientId`. */
  clientCertificates?: readonly string[];
}

/** A managed identity of the demo tenant. */
export interface SimManagedIdentity {
  clientId: string;
  /** Its service principal's object id: the `sub` of its tokens. */
  principalId: string;
  /** The one used when a token request names no identity. */
  systemAssigned?: boolean;
}

/** What Azure's managed identity endpoint (App Service / Container Apps, api-version 2019-08-01) answers. */
export interface ManagedIdentityTokenBody {
  access_token: string;
  /** Seconds since the epoch, as a string (App Service's format). */
  expires_on: string;
  resource: string;
  token_type: 'Bearer';
  client_id: string;
}

/** The simulator, and how churn and tests change the fleet it serves (`GraphFleetMutations`). */
export interface GraphSimulator extends GraphFleetMutations {
  /** Graph base URL, e.g. `https://127.0.0.1:PORT/v1.0`. */
  url: string;
  /** Entra authority host, e.g. `https://127.0.0.1:PORT` (authority = `${authorityHost}/${tenantId}`). */
  authorityHost: string;
  faults: GraphFaults;
  requests: GraphSimRequestLog;
  /**
   * What Entra issues a managed identity for `resource` (the token a managed identity endpoint
   * hands out): for Graph an access token this simulator accepts, with the identity as the
   * caller; for any other audience (`api://AzureADTokenExchange`) a JWT signed by the tenant that
   * a federated credential can trust. Null for an identity the tenant does not have.
   */
  managedIdentityToken(resource: string, clientId?: string): ManagedIdentityTokenBody | null;
  close(): Promise<void>;
}

/**
 * Every endpoint the simulator serves, as the request log names them (`GET /devices/{id}`,
 * `POST /$batch`, `POST /{tenant}/oauth2/v2.0/token`, …): the Graph routes, the batch envelope
 * and the Entra login endpoints. The contract conformance suite keeps one case per entry.
 */
export const GRAPH_SIM_ENDPOINTS: readonly string[] = [
  ...GRAPH_SIM_ROUTE_ENDPOINTS,
  BATCH_ENDPOINT,
  ...ENTRA_SIM_ENDPOINTS,
];

const GRAPH_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Graph's code and message for a failure injected by status: a 403 is a missing permission
 * (`Authorization_RequestDenied`), as when the app lacks `Group.ReadWrite.All`; 5xx are outages.
 */
function faultError(status: number): [string, string] {
  if (status === 400) return ['BadRequest', 'The request is not valid.'];
  if (status === 401) return ['InvalidAuthenticationToken', 'Access token validation failure.'];
  if (status === 403)
    return ['Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'];
  if (status === 404)
    return [
      'Request_ResourceNotFound',
      'Resource does not exist or one of its queried reference-property objects are not present.',
    ];
  if (status === 409)
    return [
      'Request_MultipleObjectsWithSameKeyValue',
      'Another object with the same value for property exists.',
    ];
  if (status === 504) return ['GatewayTimeout', 'The service is temporarily unavailable.'];
  return ['ServiceUnavailable', 'The service is temporarily unavailable.'];
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * Starts the demo tenant's Microsoft Graph and Entra ID on one HTTPS server: the token
 * endpoints msal-node uses for client credentials against a custom authority, and the Graph
 * v1.0 resources the bot reads and writes, served from `fleet` in Graph's wire format (paging,
 * `$filter`, `$select`, `$expand`, `$count`, `$batch`, Graph's error bodies). `faults` makes it
 * misbehave on purpose; `requests` records what it was asked (never a token or a secret).
 */
export async function startGraphSimulator(opts: GraphSimulatorOptions): Promise<GraphSimulator> {
  const sockets = new Set<Socket>();
  const requests = new GraphSimRequestLog();
  const issuer = new EntraTokenIssuer({
    tenantId: opts.tenantId,
    clientId: opts.clientId,
    ttlSeconds: opts.tokenTtlSeconds ?? 3600,
    roles: () => opts.fleet.graph.grantedPermissions ?? GRAPH_APP_PERMISSIONS,
  });
  const faults = new GraphFaults(() => issuer.revokeAll());
  const clientCertificates = (opts.clientCertificates ?? []).map((pem) => new X509Certificate(pem));
  let authorityHost = '';
  let graphUrl = '';
  let closed = false;

  const logEntry = (
    method: string,
    path: string,
    endpoint: string,
    query: URLSearchParams,
    h: GraphSimRequest['headers'],
    viaBatch: boolean,
  ) =>
    requests.add({
      at: Date.now(),
      method,
      path,
      endpoint,
      query: Object.fromEntries(query.entries()),
      headers: {
        consistencyLevel: h['consistencylevel'],
        clientRequestId: h['client-request-id'],
        contentType: h['content-type'],
        hasBearer: /^bearer\s+\S/i.test(h['authorization'] ?? ''),
      },
      viaBatch,
    });

  /** A throttle or server-error fault as a Graph answer. */
  const faultResponse = (f: ArmedFault, crid: string | undefined): GraphSimResponse =>
    f.kind === 'throttle'
      ? graphError(
          429,
          'TooManyRequests',
          'Too many requests, please retry after the time given in Retry-After.',
          f.retryAfterSeconds === null ? {} : { 'retry-after': String(f.retryAfterSeconds) },
          crid,
        )
      : graphError(f.status, ...faultError(f.status), {}, crid);

  /**
   * Runs one Graph request (plain or a batch step) through the router and logs it; a route whose
   * permission the token's `roles` lack is refused first, as Graph does.
   */
  const runGraph = (
    req: GraphSimRequest,
    entry: GraphSimLogEntry,
    roles: readonly string[],
  ): GraphSimResponse => {
    const denied = permissionDenied(req, roles);
    if (denied) {
      entry.endpoint = graphEndpointOf(opts.fleet, graphUrl, req.method, req.path, opts.teamsApps);
      entry.status = denied.status;
      return denied;
    }
    const r = routeGraphRequest(opts.fleet, graphUrl, req, opts.teamsApps);
    entry.endpoint = r.endpoint;
    if (r.filter) entry.filter = r.filter;
    entry.status = r.response.status;
    return r.response;
  };

  const runBatchStep = async (step: GraphSimRequest, roles: readonly string[]): Promise<GraphSimResponse> => {
    const entry = logEntry(step.method, step.path, `${step.method} ?`, step.query, step.headers, true);
    if (step.body !== undefined && step.method !== 'GET') entry.body = step.body;
    const f = faults.take('batchItem', step.method, step.path);
    if (f && (f.kind === 'throttle' || f.kind === 'fail')) {
      const res = faultResponse(f, step.headers['client-request-id']);
      entry.endpoint = graphEndpointOf(opts.fleet, graphUrl, step.method, step.path, opts.teamsApps);
      entry.status = res.status;
      entry.fault = f.kind;
      return res;
    }
    return runGraph(step, entry, roles);
  };

  const send = (
    res: ServerResponse,
    r: GraphSimResponse,
    contentType: string,
    crid: string | undefined,
  ): void => {
    if (res.destroyed || res.writableEnded) return;
    const headers: Record<string, string> = {
      'request-id': randomUUID(),
      ...(crid ? { 'client-request-id': crid } : {}),
      'strict-transport-security': 'max-age=31536000',
      ...(r.headers ?? {}),
    };
    if (r.body === undefined || r.status === 204) {
      res.writeHead(r.status, headers);
      res.end();
      return;
    }
    res.writeHead(r.status, { ...headers, 'content-type': contentType });
    res.end(JSON.stringify(r.body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const rawPath = rawUrl.split('?')[0] ?? '/';
    const url = new URL(rawUrl, authorityHost);
    const headers: GraphSimRequest['headers'] = {};
    for (const k of ['authorization', 'consistencylevel', 'client-request-id', 'content-type'])
      headers[k] = headerOf(req, k);
    const crid = headers['client-request-id'];
    const rawBody = await readBody(req);
    const entra = entraEndpoint(method, rawPath);
    const isGraph = rawPath === '/v1.0' || rawPath.startsWith('/v1.0/');
    const graphPath = isGraph ? rawPath.slice('/v1.0'.length) || '/' : rawPath;
    const entry = logEntry(method, graphPath, entra ?? `${method} ?`, url.searchParams, headers, false);

    const delay = (opts.latencyMs ?? 0) + faults.latencyMs;
    if (delay > 0) await sleep(delay);
    if (closed) return;

    const fault = entra
      ? faults.take('token', method, rawPath)
      : isGraph
        ? faults.take('graph', method, graphPath)
        : undefined;
    if (fault && isGraph)
      entry.endpoint = graphEndpointOf(opts.fleet, graphUrl, method, graphPath, opts.teamsApps);
    if (fault?.kind === 'reset') {
      entry.fault = 'reset';
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'hang') {
      entry.fault = 'hang';
      return;
    }
    if (rawBody === null) {
      entry.status = 413;
      send(
        res,
        graphError(413, 'RequestEntityTooLarge', 'The request body is too large.', {}, crid),
        GRAPH_CONTENT_TYPE,
        crid,
      );
      return;
    }
    if (fault) {
      const r = faultResponse(fault, crid);
      entry.fault = fault.kind;
      entry.status = r.status;
      send(
        res,
        entra
          ? {
              ...r,
              body: {
                error: 'temporarily_unavailable',
                error_description: 'AADSTS90033: A transient error has occurred. Please try again.',
              },
            }
          : r,
        GRAPH_CONTENT_TYPE,
        crid,
      );
      return;
    }

    if (entra) {
      const ctx: EntraSimContext = {
        authorityHost,
        tenantId: opts.tenantId,
        clientId: opts.clientId,
        clientSecret: opts.clientSecret,
        issuer,
        federatedCredentials: opts.federatedCredentials ?? [],
        clientCertificates,
      };
      const r = handleEntraRequest(ctx, method, url, rawBody);
      entry.status = r.status;
      send(res, r, 'application/json; charset=utf-8', undefined);
      return;
    }
    if (!isGraph) {
      entry.status = 404;
      send(
        res,
        graphError(404, 'NotFound', `Nothing is served at ${rawPath}.`, {}, crid),
        GRAPH_CONTENT_TYPE,
        crid,
      );
      return;
    }

    const bearer = /^bearer\s+(\S+)$/i.exec(headers['authorization'] ?? '')?.[1];
    const check = issuer.check(bearer);
    if (!check.ok) {
      entry.status = 401;
      send(
        res,
        graphError(
          401,
          'InvalidAuthenticationToken',
          check.message,
          {
            'www-authenticate': `Bearer realm="", authorization_uri="${authorityHost}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
          },
          crid,
        ),
        GRAPH_CONTENT_TYPE,
        crid,
      );
      return;
    }

    let body: unknown;
    if (rawBody !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch {
        entry.status = 400;
        send(
          res,
          graphError(
            400,
            'BadRequest',
            'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
            {},
            crid,
          ),
          GRAPH_CONTENT_TYPE,
          crid,
        );
        return;
      }
    }
    if (body !== undefined && method !== 'GET' && graphPath !== '/$batch') entry.body = body;
    const greq: GraphSimRequest = { method, path: graphPath, query: url.searchParams, headers, body };
    const roles = Array.isArray(check.claims.roles) ? check.claims.roles.map(String) : [];
    if (graphPath === '/$batch') {
      entry.endpoint = method === 'POST' ? BATCH_ENDPOINT : `${method} /$batch`;
      const r =
        method === 'POST'
          ? await handleBatch(greq, (step) => runBatchStep(step, roles))
          : graphError(
              405,
              'Request_BadRequest',
              'Specified HTTP method is not allowed for the request target.',
              {},
              crid,
            );
      entry.status = r.status;
      send(res, r, GRAPH_CONTENT_TYPE, crid);
      return;
    }
    send(res, runGraph(greq, entry, roles), GRAPH_CONTENT_TYPE, crid);
  };

  const server = https.createServer(
    { cert: opts.tls.cert, key: opts.tls.key, maxHeaderSize: 64 * 1024 },
    (req, res) => {
      handle(req, res).catch((e: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          send(
            res,
            graphError(500, 'InternalServerError', `Simulator failure: ${(e as Error).message}`),
            GRAPH_CONTENT_TYPE,
            undefined,
          );
        }
      });
    },
  );
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('Graph simulator did not get a TCP address');
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  authorityHost = `https://${host}:${addr.port}`;
  graphUrl = `${authorityHost}/v1.0`;

  const managedIdentityToken = (resource: string, clientId?: string): ManagedIdentityTokenBody | null => {
    const mi = (opts.managedIdentities ?? []).find((m) =>
      clientId === undefined ? m.systemAssigned === true : m.clientId === clientId,
    );
    if (!mi) return null;
    const iat = Math.floor(Date.now() / 1000);
    const ttl = opts.tokenTtlSeconds ?? 3600;
    const graph = resource.replace(/\/+$/, '') === 'https://graph.microsoft.com';
    const access_token = graph
      ? issuer.issue(mi.clientId).access_token
      : issuer.sign({
          aud: resource,
          iss: `${authorityHost}/${opts.tenantId}/v2.0`,
          sub: mi.principalId,
          oid: mi.principalId,
          azp: mi.clientId,
          tid: opts.tenantId,
          iat,
          nbf: iat,
          exp: iat + ttl,
          ver: '2.0',
        });
    return {
      access_token,
      expires_on: String(iat + ttl),
      resource,
      token_type: 'Bearer',
      client_id: mi.clientId,
    };
  };

  return {
    ...graphFleetMutations(opts.fleet),
    url: graphUrl,
    authorityHost,
    faults,
    requests,
    managedIdentityToken,
    close: async () => {
      closed = true;
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
