/**
 * The state token carried by the consent report URLs: base64url(JSON payload)
 * "." base64url(HMAC-SHA256(secret, first part)). It names the payment, so the
 * callback knows which bill to check without trusting anything else in the
 * URL; verification is constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface StatePayload {
  /** The payment's id: its `paymentInformationId` (one transaction per payment request). */
  paymentId: string;
  /** Odoo `account.move` id of the bill. */
  billId: number;
  /** One-shot value: the callback accepts each nonce once (replays get 400). */
  nonce: string;
  /** Expiry, in seconds since the epoch (JWT style). */
  exp: number;
  /** When set, the token is only valid on that callback path (success or failure). */
  outcome?: 'success' | 'failure';
}

export type StateTokenProblem = 'malformed' | 'forged' | 'expired';

/** Why a state token was refused. `kind` is stable; the message never holds the token. */
export class StateTokenError extends Error {
  readonly isStateTokenError = true;
  constructor(readonly kind: StateTokenProblem, message: string) {
    super(message);
    this.name = 'StateTokenError';
  }
}

const B64URL = /^[A-Za-z0-9_-]+$/;

function mac(secret: string, data: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

function assertSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < 16) throw new Error('state token: the HMAC secret must be at least 16 characters (callback.secret)');
}

export function signState(secret: string, payload: StatePayload): string {
  assertSecret(secret);
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

function isPayload(v: unknown): v is StatePayload {
  const p = v as StatePayload;
  return (
    typeof p === 'object' && p !== null &&
    typeof p.paymentId === 'string' && p.paymentId.length > 0 &&
    Number.isSafeInteger(p.billId) && p.billId > 0 &&
    typeof p.nonce === 'string' && p.nonce.length > 0 &&
    typeof p.exp === 'number' && Number.isFinite(p.exp) &&
    (p.outcome === undefined || p.outcome === 'success' || p.outcome === 'failure')
  );
}

/**
 * Returns the payload of a token stetpay signed with `secret`, or throws a
 * StateTokenError: `malformed` (not a token), `forged` (signature does not
 * match: altered, or another secret), `expired` (past `exp`).
 */
export function verifyState(secret: string, token: string, now: Date = new Date()): StatePayload {
  assertSecret(secret);
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 2 || !parts.every((p) => p.length > 0 && B64URL.test(p))) {
    throw new StateTokenError('malformed', 'the state token is not in the expected form');
  }
  const [body, sig] = parts as [string, string];
  const expected = mac(secret, body);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new StateTokenError('forged', 'the state token signature does not match');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new StateTokenError('malformed', 'the state token payload is not JSON');
  }
  if (!isPayload(payload)) throw new StateTokenError('malformed', 'the state token payload lacks a field');
  if (now.getTime() / 1000 >= payload.exp) throw new StateTokenError('expired', 'the state token has expired');
  return payload;
}
