/**
 * The state token carried by both consent report URLs of a payment. It names the
 * payment, so the callback knows which bill to check without trusting anything
 * else in the URL; verification is constant-time.
 *
 * Form: base64url("paymentId~billId~exp", billId and exp in base 36) "."
 * base64url(first 128 bits of HMAC-SHA256(secret, "stetpay-state-v2." + first
 * part)); about 65 characters, since it is stored twice in every queued payment.
 * It is not bound to an outcome: the path says success or failure, and either
 * only triggers a status check at the bank, whose answer is the truth. Its nonce
 * is not carried but derived from the secret and the payment id, so both links
 * of a payment share it and only one of them can ever be used.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { StateTokenError } from '../errors.js';

export interface StatePayload {
  /** The payment's id: its `paymentInformationId` (one transaction per payment request). */
  paymentId: string;
  /** Odoo `account.move` id of the bill. */
  billId: number;
  /** One-shot value, derived (`nonceFor`): the callback accepts each nonce once (replays get 400). */
  nonce: string;
  /** Expiry, in seconds since the epoch (JWT style). */
  exp: number;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/** 128 bits: forging one needs about 2^128 tries against the callback, each a request. */
const COMPACT_MAC_BYTES = 16;
const COMPACT_DOMAIN = 'stetpay-state-v2.';
/** Not in the SEPA character set, so never inside a payment id. */
const SEP = '~';

function mac(secret: string, domain: string, body: string): Buffer {
  return createHmac('sha256', secret).update(domain + body).digest().subarray(0, COMPACT_MAC_BYTES);
}

/**
 * A token of `fields` signed for one use (`domain`, so a token of one kind is
 * never accepted as another): base64url of the fields joined by "~", ".",
 * base64url of the first 128 bits of HMAC-SHA256(secret, domain + that body).
 */
export function signFields(secret: string, domain: string, fields: readonly string[]): string {
  assertSecret(secret);
  if (fields.some((f) => f.includes(SEP))) throw new Error(`signed token: a field holds "${SEP}"`);
  const body = Buffer.from(fields.join(SEP), 'utf8').toString('base64url');
  return `${body}.${mac(secret, domain, body).toString('base64url')}`;
}

/** The fields of a token `signFields` made for `domain`. @throws StateTokenError `malformed` (not such a token) or `forged` (signature does not match). */
export function verifiedFields(secret: string, domain: string, token: string): string[] {
  assertSecret(secret);
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 2 || !parts.every((p) => p.length > 0 && B64URL.test(p))) {
    throw new StateTokenError('malformed', 'the token is not in the expected form');
  }
  const [body, sig] = parts as [string, string];
  if (!sameSignature(sig, mac(secret, domain, body))) throw new StateTokenError('forged', 'the token signature does not match');
  return Buffer.from(body, 'base64url').toString('utf8').split(SEP);
}

/** One nonce per payment attempt, derived from the secret: every link of that payment shares it, so only one can ever be used. */
export function nonceFor(secret: string, paymentInformationId: string): string {
  return createHmac('sha256', secret).update(`stetpay-consent-nonce:${paymentInformationId}`).digest('base64url').slice(0, 22);
}

/** The compact token (see above) for a payment; its nonce is `nonceFor(secret, paymentId)`. */
export function signCompactState(secret: string, payload: { paymentId: string; billId: number; exp: number }): string {
  assertSecret(secret);
  if (!payload.paymentId || payload.paymentId.includes(SEP)) throw new Error(`state token: payment id "${payload.paymentId}" cannot be carried (empty or holds "${SEP}")`);
  if (!Number.isSafeInteger(payload.billId) || payload.billId <= 0 || !Number.isSafeInteger(payload.exp) || payload.exp <= 0) {
    throw new Error('state token: billId and exp must be positive integers');
  }
  return signFields(secret, COMPACT_DOMAIN, [payload.paymentId, payload.billId.toString(36), payload.exp.toString(36)]);
}

export const B36 = /^[0-9a-z]+$/;

function compactPayload(secret: string, parts: string[]): StatePayload | undefined {
  if (parts.length !== 3) return undefined;
  const [paymentId, bill, exp] = parts as [string, string, string];
  if (!paymentId || !B36.test(bill) || !B36.test(exp)) return undefined;
  return { paymentId, billId: parseInt(bill, 36), nonce: nonceFor(secret, paymentId), exp: parseInt(exp, 36) };
}

/** Constant-time equality of the signature as given and as expected (both base64url text, so a non-canonical encoding fails too). */
function sameSignature(given: string, expected: Buffer): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected.toString('base64url'), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function assertSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < 16) throw new Error('state token: the HMAC secret must be at least 16 characters (callback.secret)');
}

/**
 * Returns the payload of a token stetpay signed with `secret`, or throws a
 * StateTokenError: `malformed` (not a token), `forged` (signature does not
 * match: altered, or another secret), `expired` (past `exp`).
 */
export function verifyState(secret: string, token: string, now: Date = new Date()): StatePayload {
  const payload = compactPayload(secret, verifiedFields(secret, COMPACT_DOMAIN, token));
  if (!payload) throw new StateTokenError('malformed', 'the state token payload lacks a field');
  if (now.getTime() / 1000 >= payload.exp) throw new StateTokenError('expired', 'the state token has expired');
  return payload;
}
