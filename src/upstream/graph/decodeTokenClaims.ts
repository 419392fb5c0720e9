import { UpstreamError } from '../../errors';

/**
 * What the setup doctor reads from the bot's own Graph access token: the application
 * permissions granted to it (`roles`, FACTS: app-only tokens carry them) and who it was issued
 * to. Never the token itself: nothing here can put it in a log, a card or an error.
 */
export interface GraphTokenClaims {
  roles: string[];
  /** The app the token was issued to (`appid`, or `azp` on v2 tokens). */
  appId: string | null;
  tenantId: string | null;
  /** Expiry, epoch seconds; null when the token has none. */
  expiresAt: number | null;
}

/**
 * Decodes the payload of a JWT access token (no signature check: the bot holds the token it was
 * just issued and only wants to know what it says). A token that is not a JWT is an
 * `UpstreamError` naming Entra ID, never the token text.
 */
export function decodeTokenClaims(token: string): GraphTokenClaims {
  const payload = token.split('.')[1];
  let claims: Record<string, unknown>;
  try {
    if (!payload) throw new Error('not a JWT');
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    claims = parsed as Record<string, unknown>;
  } catch {
    throw new UpstreamError('graph', 'bad_response', 'the Graph access token is not a readable JWT');
  }
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  return {
    roles: Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [],
    appId: text(claims.appid) ?? text(claims.azp),
    tenantId: text(claims.tid),
    expiresAt: typeof claims.exp === 'number' ? claims.exp : null,
  };
}
