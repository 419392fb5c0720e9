import { randomUUID } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import { checkClientAssertion, type FederatedCredential } from './graphSimClientAssertion';
import type { EntraTokenIssuer } from './graphSimTokenIssuer';
import type { GraphSimResponse } from './graphSimTypes';

export interface EntraSimContext {
  /** `https://127.0.0.1:PORT`: what the metadata points back at. */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  issuer: EntraTokenIssuer;
  /** The app registration's federated identity credentials (tokens of a managed identity it trusts). */
  federatedCredentials: readonly FederatedCredential[];
  /** Certificates uploaded to the app registration. */
  clientCertificates: readonly X509Certificate[];
}

/** Every Entra (login) endpoint the simulator serves: its route table, walked by the conformance suite. */
export const ENTRA_SIM_ENDPOINTS = [
  'GET /{tenant}/v2.0/.well-known/openid-configuration',
  'GET /common/discovery/instance',
  'GET /{tenant}/discovery/v2.0/keys',
  'POST /{tenant}/oauth2/v2.0/token',
] as const;

export type EntraSimEndpoint = (typeof ENTRA_SIM_ENDPOINTS)[number];

/** The endpoint template an Entra path belongs to (for the request log), or null if it is not one. */
export function entraEndpoint(method: string, path: string): EntraSimEndpoint | null {
  if (method === 'GET' && /^\/[^/]+\/v2\.0\/\.well-known\/openid-configuration$/.test(path)) {
    return 'GET /{tenant}/v2.0/.well-known/openid-configuration';
  }
  if (method === 'GET' && path === '/common/discovery/instance') return 'GET /common/discovery/instance';
  if (method === 'GET' && /^\/[^/]+\/discovery\/v2\.0\/keys$/.test(path))
    return 'GET /{tenant}/discovery/v2.0/keys';
  if (method === 'POST' && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(path))
    return 'POST /{tenant}/oauth2/v2.0/token';
  return null;
}

/** An Entra (AADSTS) error body, as the token and metadata endpoints send it. */
function aadError(
  ctx: EntraSimContext,
  status: number,
  error: string,
  code: number,
  text: string,
): GraphSimResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
  return {
    status,
    headers: { 'x-ms-request-id': traceId },
    body: {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${ctx.authorityHost}/error?code=${code}`,
    },
  };
}

const GRAPH_SCOPES = new Set([
  'https://graph.microsoft.com/.default',
  '00000003-0000-0000-c000-000000000000/.default',
]);

/**
 * Serves what msal-node asks of Entra for the client-credentials flow against a custom
 * authority: tenant discovery (OpenID configuration), instance discovery, the signing keys and
 * the v2 token endpoint. Errors carry AADSTS codes the way login.microsoftonline.com sends them.
 */
export function handleEntraRequest(
  ctx: EntraSimContext,
  method: string,
  url: URL,
  rawBody: string,
): GraphSimResponse {
  const path = url.pathname;
  const tenant = path.split('/')[1] ?? '';
  const base = `${ctx.authorityHost}/${ctx.tenantId}`;
  const tenantKnown = tenant.toLowerCase() === ctx.tenantId.toLowerCase();
  const endpoint = entraEndpoint(method, path);

  if (endpoint === 'GET /common/discovery/instance') {
    const host = new URL(ctx.authorityHost).host;
    return {
      status: 200,
      body: {
        tenant_discovery_endpoint: `${base}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      },
    };
  }
  if (!tenantKnown && endpoint !== null) {
    return aadError(
      ctx,
      400,
      'invalid_tenant',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`,
    );
  }
  if (endpoint === 'GET /{tenant}/v2.0/.well-known/openid-configuration') {
    return {
      status: 200,
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: [
          'client_secret_post',
          'private_key_jwt',
          'client_secret_basic',
        ],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['ES256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}/v2.0`,
        request_uri_parameter_supported: false,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: 'graph.microsoft.com',
      },
    };
  }
  if (endpoint === 'GET /{tenant}/discovery/v2.0/keys') return { status: 200, body: ctx.issuer.jwks() };
  if (endpoint === 'POST /{tenant}/oauth2/v2.0/token') {
    const form = new URLSearchParams(rawBody);
    const grant = form.get('grant_type');
    if (grant !== 'client_credentials') {
      return aadError(
        ctx,
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grant ?? ''}'.`,
      );
    }
    const clientId = form.get('client_id');
    if (clientId !== ctx.clientId) {
      return aadError(
        ctx,
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId ?? ''}' was not found in the directory '${ctx.tenantId}'.`,
      );
    }
    const scope = form.get('scope') ?? '';
    if (!scope.split(' ').some((s) => GRAPH_SCOPES.has(s))) {
      return aadError(
        ctx,
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid.`,
      );
    }
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (secret === null && assertion !== null) {
      const refused = checkClientAssertion(
        {
          clientId: ctx.clientId,
          tokenEndpoint: `${base}/oauth2/v2.0/token`,
          tenantIssuer: `${base}/v2.0`,
          issuer: ctx.issuer,
          federatedCredentials: ctx.federatedCredentials,
          clientCertificates: ctx.clientCertificates,
          now: Date.now,
        },
        form.get('client_assertion_type'),
        assertion,
      );
      if (refused) return aadError(ctx, 401, 'invalid_client', refused.code, refused.text);
      return { status: 200, body: ctx.issuer.issue() };
    }
    if (secret === null) {
      return aadError(
        ctx,
        401,
        'invalid_client',
        7000216,
        "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
      );
    }
    // Entra answers a wrong secret with 401 (not 400): seen in real AADSTS7000215 responses.
    if (secret !== ctx.clientSecret) {
      return aadError(
        ctx,
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${ctx.clientId}'.`,
      );
    }
    return { status: 200, body: ctx.issuer.issue() };
  }
  return { status: 404, body: { error: 'not_found', error_description: `No Entra endpoint at ${path}` } };
}
