/** Access tokens issued by the sandbox's token endpoint, timed on the sandbox clock. */
import { randomBytes } from 'node:crypto';

export type TokenCheck = { ok: true; clientId: string } | { ok: false; reason: 'missing' | 'unknown' | 'expired' };

export class TokenStore {
  private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();
  constructor(private readonly lifetimeSeconds: number) {}

  issue(clientId: string, now: Date): { access_token: string; token_type: 'Bearer'; expires_in: number; scope: string } {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { clientId, expiresAt: now.getTime() + this.lifetimeSeconds * 1000 });
    return { access_token: token, token_type: 'Bearer', expires_in: this.lifetimeSeconds, scope: 'pisp' };
  }

  check(authorization: string | undefined, now: Date): TokenCheck {
    const presented = bearer(authorization);
    if (!presented) return { ok: false, reason: 'missing' };
    const t = this.tokens.get(presented);
    if (!t) return { ok: false, reason: 'unknown' };
    if (now.getTime() >= t.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, clientId: t.clientId };
  }

  /** Forgets the token in `authorization` (the 401 fault: a token the gateway revoked). */
  revoke(authorization: string | undefined): void {
    const presented = bearer(authorization);
    if (presented) this.tokens.delete(presented);
  }

  clear(): void {
    this.tokens.clear();
  }
}

function bearer(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
}
