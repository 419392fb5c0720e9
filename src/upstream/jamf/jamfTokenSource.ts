/** What one token request yields. */
export interface IssuedToken {
  token: string;
  expiresInSeconds: number;
}

/**
 * Caches the Jamf Pro access token and renews it shortly before it expires (a fifth of its life,
 * at most a minute, early), so requests rarely meet a 401. Concurrent callers that find no valid
 * token share one request for a new one instead of stampeding the token endpoint.
 */
export class JamfTokenSource {
  private current: { token: string; refreshAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly fetchToken: () => Promise<IssuedToken>,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<string> {
    if (this.current && this.now() < this.current.refreshAt) return Promise.resolve(this.current.token);
    this.pending ??= this.fetchToken()
      .then(({ token, expiresInSeconds }) => {
        const lifeMs = expiresInSeconds * 1000;
        this.current = { token, refreshAt: this.now() + lifeMs - Math.min(60_000, lifeMs / 5) };
        return token;
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }

  /**
   * Whether `token` is still the cached one and not yet due for renewal: a request that waited for
   * a free connection slot longer than its token had left gets a new one instead of a 401.
   */
  isFresh(token: string): boolean {
    return this.current?.token === token && this.now() < this.current.refreshAt;
  }

  /** Forget `token` after the server refused it; a newer token fetched meanwhile is kept. */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = null;
  }
}
