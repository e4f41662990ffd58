/**
 * The fallback of NWM's guide ("Using the fallback", PSD2 RTS art. 33): when the
 * API is down, a token request to the same endpoint with the header
 * `fallback: 1` and the QWAC is answered `302 Found` with a `Location` into the
 * company's online banking that carries a JWT (`&fallback=`). The sandbox signs
 * that JWT (RS256) with its server key and serves a stand-in online-banking page
 * that checks it.
 */
import { X509Certificate, createHash, randomUUID, sign, verify } from 'node:crypto';

/** The online-banking path of the guide's example `Location` (`/se-connecter/sso?service=dei&cdetab=…&fallback=…`). */
export const ONLINE_BANKING_PATH = '/se-connecter/sso';

/** How long a fallback link works, on the sandbox clock. */
export const FALLBACK_LIFETIME_SECONDS = 300;

/** The scopes a fallback request may ask: the guide's example asks `aisp`; a PISP asks `pisp`. */
export const FALLBACK_SCOPES = ['aisp', 'pisp'];

export interface FallbackClaims {
  iss: string;
  sub: string;
  aud: 'online-banking';
  cdetab: string;
  scope: string;
  iat: number;
  exp: number;
  jti: string;
}

const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');

export interface FallbackSigner {
  /** The server certificate (PEM): its SHA-1 thumbprint goes in the JWT header (`x5t`), as in the guide's example. */
  cert: Buffer;
  /** The server key (PEM) that signs. */
  key: Buffer;
}

export function signFallbackJwt(signer: FallbackSigner, claims: Omit<FallbackClaims, 'aud' | 'iat' | 'exp' | 'jti'>, now: Date): string {
  const iat = Math.floor(now.getTime() / 1000);
  const x5t = b64url(createHash('sha1').update(new X509Certificate(signer.cert).raw).digest());
  const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5t }));
  const payload = b64url(JSON.stringify({ ...claims, aud: 'online-banking', iat, exp: iat + FALLBACK_LIFETIME_SECONDS, jti: randomUUID() }));
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), signer.key);
  return `${header}.${payload}.${b64url(signature)}`;
}

export type FallbackCheck = { ok: true; claims: FallbackClaims } | { ok: false; reason: string };

/** Online banking's check of the link: signed by the bank, for online banking, not expired on the sandbox clock. */
export function checkFallbackJwt(signer: FallbackSigner, jwt: string | null, now: Date): FallbackCheck {
  const [header, payload, signature] = (jwt ?? '').split('.');
  if (!header || !payload || !signature) return { ok: false, reason: 'the link carries no fallback token' };
  let claims: FallbackClaims;
  try {
    const key = new X509Certificate(signer.cert).publicKey;
    if (!verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))) return { ok: false, reason: 'the fallback token is not signed by this bank' };
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as FallbackClaims;
  } catch {
    return { ok: false, reason: 'the fallback token is not readable' };
  }
  if (claims.aud !== 'online-banking') return { ok: false, reason: 'the fallback token is not for online banking' };
  if (now.getTime() >= claims.exp * 1000) return { ok: false, reason: 'the fallback link has expired: ask stetpay for a new one' };
  return { ok: true, claims };
}

/** The body of the guide's `302 Found` (Apache's, as the guide shows it), in ISO-8859-1. */
export function foundBody(location: string): string {
  const href = location.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>302 Found</title>
</head><body>
<h1>Found</h1>
<p>The document has moved <a href="${href}">here</a>.</p>
</body></html>
`;
}
