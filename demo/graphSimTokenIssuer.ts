import { generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export type TokenCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; message: string };

/**
 * Issues and checks the demo tenant's access tokens: real ES256 JWTs with Entra's claims
 * (`aud`, `iss`, `tid`, `appid`, `roles`, `exp`), signed with a per-process key published as
 * JWKS. Revocation is by token id, so "expire all tokens now" leaves later tokens valid.
 */
export class EntraTokenIssuer {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  readonly kid = randomUUID();
  private readonly revoked = new Set<string>();
  private readonly issued = new Set<string>();

  constructor(
    private readonly opts: {
      tenantId: string;
      clientId: string;
      ttlSeconds: number;
      now?: () => number;
      /** The application permissions granted to the app when a token is issued (its `roles`). */
      roles: () => readonly string[];
    },
  ) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /**
   * A token response body as Entra's v2 token endpoint returns it, for the app registration or,
   * with `appId`, another of the tenant's principals (a managed identity).
   */
  issue(appId: string = this.opts.clientId): {
    token_type: 'Bearer';
    expires_in: number;
    ext_expires_in: number;
    access_token: string;
  } {
    const iat = Math.floor(this.now() / 1000);
    const uti = randomUUID();
    const claims = {
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${this.opts.tenantId}/`,
      iat,
      nbf: iat,
      exp: iat + this.opts.ttlSeconds,
      appid: appId,
      idtyp: 'app',
      oid: appId,
      sub: appId,
      tid: this.opts.tenantId,
      roles: [...this.opts.roles()],
      uti,
      ver: '1.0',
    };
    this.issued.add(uti);
    return {
      token_type: 'Bearer',
      expires_in: this.opts.ttlSeconds,
      ext_expires_in: this.opts.ttlSeconds,
      access_token: this.sign(claims),
    };
  }

  /** Any JWT signed with the tenant's key: what Entra issues to a managed identity for another audience. */
  sign(claims: Record<string, unknown>): string {
    const header = { typ: 'JWT', alg: 'ES256', kid: this.kid };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(signingInput), {
      key: this.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return `${signingInput}.${b64url(signature)}`;
  }

  /** The claims of a JWT this issuer signed, or null (malformed or another signer); lifetime is the caller's check. */
  verifySigned(token: string): Record<string, unknown> | null {
    const [h, p, s, extra] = token.split('.');
    if (!h || !p || !s || extra !== undefined) return null;
    const good = verify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      { key: this.publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(s, 'base64url'),
    );
    if (!good) return null;
    try {
      return JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return null;
    }
  }

  /** Checks a bearer token the way Graph would: well-formed, signed by us, for us, not expired. */
  check(token: string | undefined): TokenCheck {
    if (!token) return { ok: false, message: 'Access token is empty.' };
    const parts = token.split('.');
    if (parts.length !== 3)
      return { ok: false, message: 'IDX14100: JWT is not well formed, there are no dots (.).' };
    const [h, p, s] = parts as [string, string, string];
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return { ok: false, message: 'IDX14102: Unable to decode the payload as Base64Url encoded string.' };
    }
    const good = verify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      { key: this.publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(s, 'base64url'),
    );
    if (!good) return { ok: false, message: 'Invalid signature.' };
    if (claims.tid !== this.opts.tenantId || claims.aud !== 'https://graph.microsoft.com') {
      return { ok: false, message: 'Invalid audience or tenant.' };
    }
    const nowSec = this.now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp <= nowSec || this.revoked.has(String(claims.uti))) {
      return { ok: false, message: 'Lifetime validation failed, the token is expired.' };
    }
    return { ok: true, claims };
  }

  /** Every token issued so far stops working. */
  revokeAll(): void {
    for (const uti of this.issued) this.revoked.add(uti);
    this.issued.clear();
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return {
      keys: [{ ...this.publicKey.export({ format: 'jwk' }), kid: this.kid, use: 'sig', alg: 'ES256' }],
    };
  }
}
