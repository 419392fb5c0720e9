import {
  AuthError,
  ConfidentialClientApplication,
  LogLevel,
  type AuthenticationResult,
  type Configuration,
} from '@azure/msal-node';
import { ConfigError, UpstreamError } from '../../errors';
import type { Logger } from '../../log';
import { createManagedIdentityApp } from './createManagedIdentityApp';
import { managedIdentityError } from './managedIdentityError';
import type { FetchLike } from './fetchTypes';
import type { GraphTokenProvider } from './graphTokenProvider';
import { createMsalNetworkClient, type TokenTransportReport } from './msalNetworkClient';

/** A certificate credential for the app registration (instead of a client secret). */
export interface ClientCertificateCredential {
  /** SHA-256 thumbprint of the certificate, hex. */
  thumbprintSha256: string;
  /** PEM private key (`-----BEGIN PRIVATE KEY-----`). */
  privateKey: string;
  /** PEM certificate chain, sent as `x5c` (needed for subject-name/issuer auth). */
  x5c?: string;
}

export interface MsalTokenProviderOptions {
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  clientCertificate?: ClientCertificateCredential;
  /**
   * Graph tokens are the managed identity's own (its service principal holds the Graph
   * permissions): `clientId`, the secret and the certificate are not used. Without a client id,
   * the system-assigned identity.
   */
  managedIdentity?: { clientId?: string };
  /**
   * The app registration `clientId` has a federated credential trusting this managed identity:
   * the identity's token for `audience` (`api://AzureADTokenExchange`) is the client assertion.
   */
  federated?: { managedIdentityClientId?: string; audience: string };
  /** Default `https://graph.microsoft.com/.default`. */
  scope?: string;
  fetch: FetchLike;
  timeoutMs: number;
  logger: Logger;
  /** The clock for token renewal (tests). */
  now?: () => number;
}

/** msal renews a cached token this long before it expires (its `tokenRenewalOffsetSeconds`). */
const RENEWAL_MARGIN_MS = 5 * 60_000;

/** Entra's public-cloud login hosts: msal knows them and runs its own instance discovery. */
const MICROSOFT_LOGIN_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.windows.net',
  'login.microsoft.com',
  'sts.windows.net',
]);

const CREDENTIAL_ERRORS = new Set([
  'invalid_client',
  'unauthorized_client',
  'invalid_grant',
  'invalid_scope',
  'invalid_tenant',
  'invalid_request',
  'unsupported_grant_type',
]);

type CredentialKind = 'secret' | 'certificate' | 'federated' | 'managed-identity';

/** What to check when Entra refuses the app's credential. */
const CREDENTIAL_HINT: Record<Exclude<CredentialKind, 'managed-identity'>, string> = {
  secret: 'check GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET and TENANT_ID',
  certificate:
    'check GRAPH_CLIENT_ID, that the certificate in GRAPH_CLIENT_CERTIFICATE_PATH is uploaded to that app registration, and TENANT_ID',
  federated:
    "check GRAPH_CLIENT_ID, its federated credential (the managed identity's issuer, its object id as subject, audience GRAPH_FEDERATED_AUDIENCE), GRAPH_MANAGED_IDENTITY_CLIENT_ID and TENANT_ID",
};

/**
 * App-only Graph tokens from msal-node: client credentials of an app registration (secret,
 * certificate, or a managed identity's token as the client assertion) through
 * ConfidentialClientApplication, or the managed identity's own token through
 * ManagedIdentityApplication. msal caches the token and renews it 5 minutes before expiry;
 * `invalidate` forces a fresh one when Graph rejects a token early (revoked, clock skew).
 * Concurrent callers share one token request. Failures become `UpstreamError('graph', …)`
 * without secrets or token text.
 */
export class MsalTokenProvider implements GraphTokenProvider {
  private readonly request: (skipCache: boolean) => Promise<AuthenticationResult | null>;
  private readonly kind: CredentialKind;
  private readonly scope: string;
  private readonly report: TokenTransportReport = {};
  private inflight: Promise<string> | undefined;
  private forceRefresh = false;
  private lastToken: string | undefined;
  /** When `lastToken` is due for renewal (msal's own margin: 5 minutes before it expires). */
  private renewAt = 0;

  constructor(private readonly opts: MsalTokenProviderOptions) {
    this.scope = opts.scope ?? 'https://graph.microsoft.com/.default';
    if (opts.managedIdentity) {
      this.kind = 'managed-identity';
      const mi = createManagedIdentityApp(opts.managedIdentity.clientId, opts.logger);
      // A managed identity asks for a resource, not a scope.
      const resource = this.scope.replace(/\/\.default$/, '');
      this.request = (skipCache) =>
        mi.acquireToken({ resource, forceRefresh: skipCache }).catch((e: unknown) => {
          throw managedIdentityError(e, 'graph');
        });
      return;
    }
    let credential: Pick<Configuration['auth'], 'clientSecret' | 'clientCertificate' | 'clientAssertion'>;
    if (opts.federated) {
      this.kind = 'federated';
      const { audience, managedIdentityClientId } = opts.federated;
      const mi = createManagedIdentityApp(managedIdentityClientId, opts.logger);
      // msal asks for an assertion on every token request; the identity's token is cached by msal.
      credential = {
        clientAssertion: () =>
          mi.acquireToken({ resource: audience }).then(
            (r) => r.accessToken,
            (e: unknown) => {
              throw managedIdentityError(e, 'federated');
            },
          ),
      };
    } else if (opts.clientSecret) {
      this.kind = 'secret';
      credential = { clientSecret: opts.clientSecret };
    } else if (opts.clientCertificate) {
      this.kind = 'certificate';
      credential = { clientCertificate: opts.clientCertificate };
    } else {
      throw new ConfigError([
        'Graph: give the app registration a client secret or a client certificate, or use a managed identity',
      ]);
    }
    const host = new URL(opts.authorityHost).host;
    const config: Configuration = {
      auth: {
        clientId: opts.clientId,
        authority: `${opts.authorityHost.replace(/\/+$/, '')}/${opts.tenantId}`,
        ...credential,
        // A custom authority (the demo tenant, a sovereign proxy) must be "known", or msal asks
        // login.microsoftonline.com to discover it. Public Entra hosts keep msal's own discovery.
        ...(MICROSOFT_LOGIN_HOSTS.has(host.toLowerCase()) ? {} : { knownAuthorities: [host] }),
      },
      system: {
        networkClient: createMsalNetworkClient(opts.fetch, opts.timeoutMs, this.report),
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (_level, message) => opts.logger.debug({ msal: message }, 'msal'),
        },
      },
    };
    const app = new ConfidentialClientApplication(config);
    this.request = (skipCache) => app.acquireTokenByClientCredential({ scopes: [this.scope], skipCache });
  }

  /**
   * The current token. msal caches it until near expiry, but its cache look-up (authority and
   * key parsing, expiry checks) costs more CPU than the Graph call it authorises, so the last
   * token is kept here until msal's own renewal point and handed out without asking msal.
   */
  getAccessToken(): Promise<string> {
    if (this.lastToken !== undefined && !this.forceRefresh && this.now() < this.renewAt) {
      return Promise.resolve(this.lastToken);
    }
    this.inflight ??= this.acquire().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Graph said `rejected` is no good: the next call fetches a new token, unless one already replaced it. */
  invalidate(rejected?: string): void {
    if (rejected === undefined || rejected === this.lastToken) {
      this.forceRefresh = true;
      this.renewAt = 0;
    }
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private async acquire(): Promise<string> {
    const skipCache = this.forceRefresh;
    this.forceRefresh = false;
    delete this.report.failure;
    delete this.report.status;
    delete this.report.retryAfterMs;
    try {
      const result = await this.request(skipCache);
      if (!result?.accessToken) {
        throw new UpstreamError(
          'graph',
          'bad_response',
          'Entra ID answered the token request without a token',
        );
      }
      this.lastToken = result.accessToken;
      this.renewAt = (result.expiresOn?.getTime() ?? 0) - RENEWAL_MARGIN_MS;
      return result.accessToken;
    } catch (e) {
      if (skipCache) this.forceRefresh = true;
      throw this.toUpstream(e);
    }
  }

  private toUpstream(e: unknown): UpstreamError {
    if (e instanceof UpstreamError) return e;
    if (this.report.failure) return this.report.failure;
    const request = `POST /${this.opts.tenantId}/oauth2/v2.0/token`;
    const status = this.report.status;
    if (e instanceof AuthError) {
      const aadsts = /AADSTS\d+/.exec(e.errorMessage)?.[0];
      const what = [e.errorCode, aadsts].filter(Boolean).join(', ');
      if (status === 429) {
        return new UpstreamError('graph', 'throttled', 'Entra ID is throttling token requests', {
          status,
          retryAfterMs: this.report.retryAfterMs,
          request,
        });
      }
      if (status !== undefined && status >= 500) {
        return new UpstreamError('graph', 'unavailable', `Entra ID could not issue a token (${status})`, {
          status,
          retryAfterMs: this.report.retryAfterMs,
          request,
        });
      }
      if (CREDENTIAL_ERRORS.has(e.errorCode) && this.kind !== 'managed-identity') {
        return new UpstreamError(
          'graph',
          'unauthorized',
          `Entra ID refused the app's credentials (${what}): ${CREDENTIAL_HINT[this.kind]}`,
          { status, request },
        );
      }
      return new UpstreamError(
        'graph',
        'unavailable',
        `Could not get a Graph token (${e.errorCode || 'throttled by msal'})`,
        {
          status,
          request,
        },
      );
    }
    return new UpstreamError('graph', 'unavailable', 'Could not get a Graph token', { request });
  }
}
