import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { jamfApiError, type SimulatorResult } from './jamfApiError';

/**
 * `expires_in` of an issued token when the simulator is not told otherwise: the 11.30.1 contract's
 * example for `POST /api/v1/oauth/token` (`OAuthTokenResponse.expires_in`), which is also the
 * lifetime Jamf Pro gives a new API client. A short life makes the demo renew tokens and meet
 * 401s as often as a real server makes the bot do.
 */
export const JAMF_DEFAULT_TOKEN_TTL_SECONDS = 60;

/**
 * The token endpoints the Jamf Pro 11.30.1 contract has, as `METHOD path` (its deprecated
 * `/api/auth/keepAlive` and `/api/auth/invalidateToken` left out: the bot uses neither).
 * `/api/oauth/token`, which Jamf's guides show, is not in this contract.
 */
export const JAMF_TOKEN_ENDPOINTS = [
  'POST /api/v1/oauth/token',
  'POST /api/v1/auth/token',
  'POST /api/v1/auth/keep-alive',
  'POST /api/v1/auth/invalidate-token',
] as const;

const AUTHORIZATION_DETAILS = 'GET /api/v1/auth';

/** Paths that look like a token endpoint: any of them that is not in the contract is a 404. */
const TOKEN_FAMILY = /^\/api(?:\/v\d+)?\/(?:oauth2?|auth)(?:\/|$)/;

export interface JamfTokenIssuerOptions {
  clientId: string;
  clientSecret: string;
  ttlSeconds: number;
  now: () => number;
}

/**
 * The simulator's authorisation server: issues tokens on the contract's token endpoints (OAuth
 * client credentials, basic auth, keep-alive, invalidate), knows which bearer tokens are still
 * valid, and answers every other token-like path with a 404 before authentication, as a server
 * without that endpoint would.
 */
export class JamfTokenIssuer {
  private readonly tokens = new Map<string, number>();

  constructor(private readonly opts: JamfTokenIssuerOptions) {}

  /** The answer for a token endpoint (or a token-like path the contract lacks); null for any other path. */
  route(req: IncomingMessage, method: string, path: string, body: unknown): SimulatorResult | null {
    // `GET /api/v1/auth` reads the current token's privileges: an authenticated API call, not a token endpoint.
    if (!TOKEN_FAMILY.test(path) || `${method} ${path}` === AUTHORIZATION_DETAILS) return null;
    const endpoint = `${method} ${path}`;
    if (!(JAMF_TOKEN_ENDPOINTS as readonly string[]).includes(endpoint)) {
      return jamfApiError(404, 'NOT_FOUND', `No such resource: ${endpoint}`, 'path');
    }
    if (path === '/api/v1/oauth/token') return this.clientCredentials(body);
    if (path === '/api/v1/auth/token') {
      if (!this.basicOk(req))
        return jamfApiError(401, 'INVALID_CREDENTIALS', 'Authentication failed', 'Authorization');
      const { token, expiresAt } = this.issue();
      return { status: 200, body: { token, expires: new Date(expiresAt).toISOString() } };
    }
    const token = this.bearer(req);
    if (!token) return jamfApiError(401, 'INVALID_TOKEN', 'Unauthorized', 'Authorization');
    this.tokens.delete(token);
    if (path === '/api/v1/auth/invalidate-token') return { status: 204 };
    const fresh = this.issue();
    return { status: 200, body: { token: fresh.token, expires: new Date(fresh.expiresAt).toISOString() } };
  }

  /** The request's bearer token when it is one this server issued and it has not expired. */
  bearer(req: IncomingMessage): string | null {
    const m = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '');
    const t = m?.[1];
    const exp = t === undefined ? undefined : this.tokens.get(t);
    return t !== undefined && exp !== undefined && exp > this.opts.now() ? t : null;
  }

  /** Revokes every token (the `expireTokens` fault). */
  revokeAll(): void {
    this.tokens.clear();
  }

  private clientCredentials(body: unknown): SimulatorResult {
    const form = (body ?? {}) as Record<string, string>;
    if (!form.grant_type) return oauthError(400, 'invalid_request', 'OAuth 2.0 Parameter: grant_type');
    if (form.grant_type !== 'client_credentials')
      return oauthError(400, 'unsupported_grant_type', form.grant_type);
    if (
      !safeEqual(form.client_id ?? '', this.opts.clientId) ||
      !safeEqual(form.client_secret ?? '', this.opts.clientSecret)
    ) {
      return oauthError(401, 'invalid_client', 'Client authentication failed');
    }
    const { token } = this.issue();
    return {
      status: 200,
      body: {
        access_token: token,
        token_type: 'Bearer',
        expires_in: this.opts.ttlSeconds,
        scope: 'api-role:1',
      },
    };
  }

  private issue(): { token: string; expiresAt: number } {
    const token = randomBytes(24).toString('base64url');
    const expiresAt = this.opts.now() + this.opts.ttlSeconds * 1000;
    this.tokens.set(token, expiresAt);
    return { token, expiresAt };
  }

  private basicOk(req: IncomingMessage): boolean {
    const m = /^Basic (\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m?.[1]) return false;
    const [user, ...rest] = Buffer.from(m[1], 'base64').toString('utf8').split(':');
    return safeEqual(user ?? '', this.opts.clientId) && safeEqual(rest.join(':'), this.opts.clientSecret);
  }
}

function oauthError(status: number, error: string, description: string): SimulatorResult {
  return { status, body: { error, error_description: description } };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
