/**
 * OAuth2 client-credentials token, cached and shared: one request in flight at a
 * time whatever the number of concurrent calls, renewed before expiry, and renewed
 * once after the bank refuses it. Never logs or throws the token itself.
 */
export interface IssuedToken {
  accessToken: string;
  /** Seconds, from the token answer's expires_in. */
  expiresIn: number;
}

export class TokenProvider {
  private cached?: { token: string; renewAt: number };
  private inFlight?: Promise<string>;

  constructor(private readonly fetchToken: () => Promise<IssuedToken>, private readonly now: () => number = Date.now) {}

  /** A valid token: the cached one, or the one being fetched, or a new one. */
  get(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return Promise.resolve(this.cached.token);
    return this.refresh();
  }

  /** After the bank refused `stale`: a new token, unless another call already renewed it. */
  renewAfterRefusal(stale: string): Promise<string> {
    if (this.cached && this.cached.token !== stale && this.now() < this.cached.renewAt) return Promise.resolve(this.cached.token);
    if (this.cached?.token === stale) this.cached = undefined;
    return this.refresh();
  }

  /** Forget `token` (e.g. after a 403) so the next call asks for a new one. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private refresh(): Promise<string> {
    this.inFlight ??= (async () => {
      try {
        const issued = await this.fetchToken();
        const lifetimeMs = Math.max(0, issued.expiresIn * 1000);
        // Renew ahead of expiry: a tenth of the lifetime, at most a minute.
        const skew = Math.min(60_000, lifetimeMs / 10);
        this.cached = { token: issued.accessToken, renewAt: this.now() + lifetimeMs - skew };
        return issued.accessToken;
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }
}
