import { constants, createHash, verify, type X509Certificate } from 'node:crypto';
import type { EntraTokenIssuer } from './graphSimTokenIssuer';

/** A federated identity credential on the app registration (Entra › App registrations › Certificates & secrets). */
export interface FederatedCredential {
  /** Whose tokens are trusted; default: the demo tenant's own issuer (`{authority}/{tenant}/v2.0`), as for a managed identity. */
  issuer?: string;
  /** The managed identity's object (principal) id. */
  subject: string;
  /** Default `api://AzureADTokenExchange`. */
  audience?: string;
}

export interface ClientAssertionContext {
  clientId: string;
  /** `{authority}/{tenant}/oauth2/v2.0/token`: a certificate assertion's audience. */
  tokenEndpoint: string;
  /** `{authority}/{tenant}/v2.0`: the issuer of the tenant's own (managed identity) tokens. */
  tenantIssuer: string;
  issuer: EntraTokenIssuer;
  federatedCredentials: readonly FederatedCredential[];
  clientCertificates: readonly X509Certificate[];
  now: () => number;
}

/** Why Entra refused the assertion: its AADSTS code and text (401 `invalid_client`). */
export interface AssertionRefusal {
  code: number;
  text: string;
}

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Entra allows five minutes of clock skew. */
const SKEW_SECONDS = 300;

function decode(part: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Checks a `client_assertion` the way Entra does for the client-credentials grant, for the two
 * kinds the bot sends: a managed identity's token matched against the app's federated identity
 * credentials (issuer, subject, audience), or a JWT the app signed with a certificate uploaded
 * to it (found by its `x5t#S256` or `x5t` thumbprint; PS256 or RS256 signature; audience = the
 * token endpoint; issuer = subject = the client id). Null when the assertion is good.
 */
export function checkClientAssertion(
  ctx: ClientAssertionContext,
  assertionType: string | null,
  assertion: string,
): AssertionRefusal | null {
  if (assertionType !== JWT_BEARER) {
    return { code: 700025, text: `Client assertion type must be '${JWT_BEARER}'.` };
  }
  const [h, p, s, extra] = assertion.split('.');
  const header = h ? decode(h) : null;
  const claims = p ? decode(p) : null;
  if (!h || !p || !s || extra !== undefined || !header || !claims) {
    return { code: 50027, text: 'JWT token is invalid or malformed.' };
  }
  const nowSec = ctx.now() / 1000;
  const exp = typeof claims.exp === 'number' ? claims.exp : 0;
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : 0;
  const timely = () =>
    exp > nowSec - SKEW_SECONDS && nbf <= nowSec + SKEW_SECONDS
      ? null
      : { code: 700024, text: 'Client assertion is not within its valid time range.' };

  if (header.kid === ctx.issuer.kid) {
    if (ctx.issuer.verifySigned(assertion) === null) {
      return { code: 700027, text: 'Client assertion failed signature validation.' };
    }
    const late = timely();
    if (late) return late;
    const match = ctx.federatedCredentials.some(
      (f) =>
        (f.issuer ?? ctx.tenantIssuer) === claims.iss &&
        f.subject === claims.sub &&
        (f.audience ?? 'api://AzureADTokenExchange') === claims.aud,
    );
    if (!match) {
      return {
        code: 70021,
        text: `No matching federated identity record found for presented assertion. Assertion Issuer: '${String(claims.iss)}'. Assertion Subject: '${String(claims.sub)}'. Assertion Audience: '${String(claims.aud)}'.`,
      };
    }
    return null;
  }

  const sha256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined;
  const sha1 = typeof header.x5t === 'string' ? header.x5t : undefined;
  const cert = ctx.clientCertificates.find((c) =>
    sha256
      ? createHash('sha256').update(c.raw).digest('base64url') === sha256
      : sha1 !== undefined && createHash('sha1').update(c.raw).digest('base64url') === sha1,
  );
  if (!cert) {
    return {
      code: 700027,
      text: 'The certificate with identifier used to sign the client assertion is not registered on application.',
    };
  }
  const pss = header.alg === 'PS256';
  if (!pss && header.alg !== 'RS256') {
    return {
      code: 5002738,
      text: `Invalid JWT token. '${String(header.alg)}' is not a supported signature algorithm.`,
    };
  }
  const good = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    pss
      ? { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
      : { key: cert.publicKey },
    Buffer.from(s, 'base64url'),
  );
  if (!good) return { code: 700027, text: 'Client assertion failed signature validation.' };
  const late = timely();
  if (late) return late;
  if (claims.aud !== ctx.tokenEndpoint) {
    return { code: 50027, text: 'Invalid JWT token. The token audience is not the token endpoint.' };
  }
  if (claims.iss !== ctx.clientId || claims.sub !== ctx.clientId) {
    return {
      code: 700021,
      text: "Client assertion application identifier doesn't match 'client_id' parameter.",
    };
  }
  return null;
}
