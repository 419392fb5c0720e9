import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived, unguessable download links: `/downloads/campaigns/<id>.csv?expires=…&sig=…`,
 * where `sig` is an HMAC of the path and expiry with a key only the bot knows. Stateless, so any
 * instance with the same key serves the link and a restart keeps it valid until it expires.
 */
export class SignedDownloads {
  constructor(
    private readonly key: string,
    private readonly ttlMs: number,
  ) {}

  private sign(path: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${path}\n${expires}`).digest('base64url');
  }

  /** The path with its query, valid for the configured time from `now`. */
  link(path: string, now: number): string {
    const expires = now + this.ttlMs;
    return `${path}?expires=${expires}&sig=${this.sign(path, expires)}`;
  }

  /** True when the link was made by us and has not expired. */
  verify(path: string, query: URLSearchParams, now: number): boolean {
    const expires = Number(query.get('expires'));
    const sig = query.get('sig') ?? '';
    if (!Number.isSafeInteger(expires) || expires < now) return false;
    const want = Buffer.from(this.sign(path, expires));
    const got = Buffer.from(sig);
    return want.length === got.length && timingSafeEqual(want, got);
  }
}
