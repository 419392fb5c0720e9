import { verify, type KeyObject } from 'node:crypto';

/**
 * Why the Bot Connector stand-in refuses the bot's `Authorization` header, or null when it
 * accepts it: a bearer JWT whose `aud` is `audience` (a string or a list holding it), not expired
 * and already valid (`exp`, `nbf`, 5 minutes' clock skew as Microsoft's validators allow), and —
 * when `publicKey` is given — RS256-signed by it. Decoded by hand with node:crypto so the demo
 * needs no JWT library at run time.
 */
export function checkBotToken(
  header: string | undefined,
  expect: { audience: string; publicKey?: KeyObject },
  nowMs: number,
): string | null {
  if (!header) return 'no Authorization header';
  const match = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]*)$/.exec(header);
  if (!match) return 'not a bearer JWT';
  const [, head, body, signature] = match as unknown as [string, string, string, string];
  let claims: { aud?: unknown; exp?: unknown; nbf?: unknown };
  let alg: unknown;
  try {
    alg = (JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: unknown }).alg;
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return 'the token is not JSON';
  }
  if (expect.publicKey) {
    if (alg !== 'RS256') return `algorithm ${String(alg)} is not RS256`;
    const ok = verify(
      'RSA-SHA256',
      Buffer.from(`${head}.${body}`),
      expect.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!ok) return 'bad signature';
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(expect.audience))
    return `audience ${JSON.stringify(claims.aud)} is not ${expect.audience}`;
  const skew = 300;
  const now = nowMs / 1000;
  if (typeof claims.exp !== 'number' || claims.exp + skew < now) return 'expired (or no exp)';
  if (typeof claims.nbf === 'number' && claims.nbf - skew > now) return 'not yet valid';
  return null;
}
