/**
 * Checks a request's Digest and draft-cavage HTTP Signature (STET framework §3.5),
 * independently of the client's code. The keyId is resolved by its `_<sha-256
 * fingerprint>` suffix against the trusted QSealC certificates: never fetched.
 */
import { X509Certificate, createHash, createVerify } from 'node:crypto';

export interface SignedRequest {
  method: string;
  /** Path and query as received. */
  target: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type SignatureCheck = { ok: true; keyId: string; headers: string[] } | { ok: false; reason: string };
export type DigestCheck = { ok: true } | { ok: false; reason: string };

const REQUIRED = ['(request-target)', 'digest', 'x-request-id'];

export class QsealTrustStore {
  private readonly byFingerprint = new Map<string, X509Certificate>();
  constructor(pems: Array<string | Buffer>) {
    for (const pem of pems) {
      const cert = new X509Certificate(pem);
      this.byFingerprint.set(cert.fingerprint256.replace(/:/g, '').toLowerCase(), cert);
    }
  }
  resolve(keyId: string): X509Certificate | undefined {
    const m = /_([0-9a-f]{64})(\.[a-z]+)?$/.exec(keyId);
    return m?.[1] ? this.byFingerprint.get(m[1]) : undefined;
  }
}

function header(req: SignedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

export function checkDigest(req: SignedRequest): DigestCheck {
  const digest = header(req, 'digest');
  if (!digest) return { ok: false, reason: 'Digest header missing' };
  const sha = digest.split(',').map((s) => s.trim()).find((s) => /^sha-256=/i.test(s));
  if (!sha) return { ok: false, reason: 'Digest header has no SHA-256 value' };
  const expected = createHash('sha256').update(req.body).digest('base64');
  return sha.slice('sha-256='.length) === expected ? { ok: true } : { ok: false, reason: 'Digest does not match the body' };
}

function parseSignature(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of value.matchAll(/([a-zA-Z]+)="([^"]*)"/g)) if (m[1] && m[2] !== undefined) out[m[1]] = m[2];
  return out;
}

export function checkSignature(req: SignedRequest, trust: QsealTrustStore): SignatureCheck {
  const raw = header(req, 'signature');
  if (!raw) return { ok: false, reason: 'Signature header missing' };
  const sig = parseSignature(raw);
  if (!sig.keyId || !sig.signature) return { ok: false, reason: 'Signature header lacks keyId or signature' };
  if (sig.algorithm && sig.algorithm.toLowerCase() !== 'rsa-sha256') return { ok: false, reason: `Signature algorithm ${sig.algorithm} not supported (rsa-sha256)` };
  const names = (sig.headers ?? 'date').toLowerCase().split(/\s+/).filter(Boolean);
  const missing = REQUIRED.filter((n) => !names.includes(n));
  if (missing.length > 0) return { ok: false, reason: `Signature must cover ${missing.join(', ')}` };
  const lines: string[] = [];
  for (const name of names) {
    if (name === '(request-target)') { lines.push(`(request-target): ${req.method.toLowerCase()} ${req.target}`); continue; }
    const v = header(req, name);
    if (v === undefined) return { ok: false, reason: `signed header ${name} is not in the request` };
    lines.push(`${name}: ${v}`);
  }
  const cert = trust.resolve(sig.keyId);
  if (!cert) return { ok: false, reason: 'Signature keyId does not name a known QSealC certificate' };
  const valid = createVerify('RSA-SHA256').update(lines.join('\n')).verify(cert.publicKey, sig.signature, 'base64');
  return valid ? { ok: true, keyId: sig.keyId, headers: names } : { ok: false, reason: 'Signature does not verify with the QSealC certificate' };
}
