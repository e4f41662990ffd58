/**
 * Digest and draft-cavage HTTP Signature for STET requests (framework §3.5):
 * rsa-sha256 with the QSealC private key, `keyId` = the QSealC certificate URL.
 */
import { createHash, createSign, sign, type KeyObject } from 'node:crypto';

/** `SHA-256=<base64>` of the body (an empty body has a digest too). */
export function digestHeader(body: Buffer | string): string {
  return 'SHA-256=' + createHash('sha256').update(body).digest('base64');
}

export interface SignInput {
  method: string;
  /** Path and query of the URL, e.g. `/stet/psd2/v1.6.2/payment-requests`. */
  target: string;
  /** Header values by lowercase name; every one listed in `headerNames` must be present. */
  headers: Record<string, string>;
  /** Lowercase names, in signing order; `(request-target)` for the pseudo-header. */
  headerNames: string[];
  key: string | Buffer | KeyObject;
  keyId: string;
}

export function signingString(input: Pick<SignInput, 'method' | 'target' | 'headers' | 'headerNames'>): string {
  return input.headerNames
    .map((name) => {
      if (name === '(request-target)') return `(request-target): ${input.method.toLowerCase()} ${input.target}`;
      const v = input.headers[name];
      if (v === undefined) throw new Error(`cannot sign header ${name}: it is not in the request`);
      return `${name}: ${v}`;
    })
    .join('\n');
}

function header(input: SignInput, signature: string): string {
  return `keyId="${input.keyId}",algorithm="rsa-sha256",headers="${input.headerNames.join(' ')}",signature="${signature}"`;
}

/** The `Signature` header value. */
export function signatureHeader(input: SignInput): string {
  return header(input, createSign('RSA-SHA256').update(signingString(input)).sign(input.key, 'base64'));
}

/**
 * The same header, signed on libuv's thread pool: an RSA signature is about a
 * millisecond of CPU, which the event loop (the worker's other jobs, the
 * callbacks) does not have to wait for, and which another core can take.
 */
export function signatureHeaderAsync(input: SignInput): Promise<string> {
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(signingString(input), 'utf8'), input.key, (err, sig) => (err ? reject(err) : resolve(header(input, sig.toString('base64')))));
  });
}
