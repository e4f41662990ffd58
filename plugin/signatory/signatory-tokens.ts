/**
 * What proves who uses the signatory's page, all signed with the callback
 * secret (each for its own use, so one is never taken for another):
 *
 * - the **link** delivered in the signatory's Odoo to-do: names the Odoo user,
 *   expires, and is used once (its nonce is spent on first use): a forwarded
 *   or replayed link opens nothing;
 * - the **session** the link is exchanged for: an HttpOnly cookie naming the
 *   same user, until the link's expiry, so the browser comes back to the page
 *   after each approval at the bank (no token left in the address bar);
 * - the **action** token of each "Approve at the bank" button: bound to the
 *   session and the payment, so no other site can make the browser open one.
 *
 * None holds a secret; the HMAC key stays in memory.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { B36, signFields, verifiedFields } from '../callback/state-token.js';
import { StateTokenError } from '../errors.js';

const LINK_DOMAIN = 'stetpay-signatory-link-v1.';
const SESSION_DOMAIN = 'stetpay-signatory-session-v1.';
const ACTION_DOMAIN = 'stetpay-signatory-action-v1.';

/** A page link's content. */
export interface SignatoryLink {
  /** The signatory's Odoo user id (res.users). */
  userId: number;
  /** Seconds since the epoch after which the link opens nothing. */
  exp: number;
  /** One-shot value: the first use spends it. */
  nonce: string;
}

/** A session's content: who, until when, and its own id (what the page remembers of it in Redis). */
export interface SignatorySession {
  userId: number;
  exp: number;
  sessionId: string;
}

const NONCE = /^[A-Za-z0-9_-]{16,43}$/;

function decodeUserAndExp(user: string | undefined, exp: string | undefined): { userId: number; exp: number } | undefined {
  if (!user || !exp || !B36.test(user) || !B36.test(exp)) return undefined;
  const userId = parseInt(user, 36);
  return userId > 0 ? { userId, exp: parseInt(exp, 36) } : undefined;
}


/** A new page link for `userId`, valid until `exp` (seconds since the epoch). */
export function signSignatoryLink(secret: string, userId: number, exp: number, nonce = randomBytes(16).toString('base64url')): string {
  if (!Number.isSafeInteger(userId) || userId <= 0 || !Number.isSafeInteger(exp) || exp <= 0) throw new Error('signatory link: user id and expiry must be positive integers');
  return signFields(secret, LINK_DOMAIN, [userId.toString(36), exp.toString(36), nonce]);
}

/** A user's token of `domain`: its user, expiry and one random value. @throws StateTokenError `malformed`, `forged` or `expired` */
function verifyUserToken(secret: string, domain: string, token: string, now: Date, what: string): { userId: number; exp: number; value: string } {
  const [user, exp, value, ...rest] = verifiedFields(secret, domain, token);
  const who = decodeUserAndExp(user, exp);
  if (!who || !value || !NONCE.test(value) || rest.length) throw new StateTokenError('malformed', `the ${what} lacks a field`);
  if (now.getTime() / 1000 >= who.exp) throw new StateTokenError('expired', `the ${what} has expired`);
  return { ...who, value };
}

/** @throws StateTokenError `malformed`, `forged` or `expired` */
export function verifySignatoryLink(secret: string, token: string, now: Date): SignatoryLink {
  const { value, ...who } = verifyUserToken(secret, LINK_DOMAIN, token, now, 'signatory link');
  return { ...who, nonce: value };
}

export function signSignatorySession(secret: string, s: SignatorySession): string {
  return signFields(secret, SESSION_DOMAIN, [s.userId.toString(36), s.exp.toString(36), s.sessionId]);
}

/** @throws StateTokenError `malformed`, `forged` or `expired` */
export function verifySignatorySession(secret: string, token: string, now: Date): SignatorySession {
  const { value, ...who } = verifyUserToken(secret, SESSION_DOMAIN, token, now, 'signatory session');
  return { ...who, sessionId: value };
}

export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/** The token of one "Approve at the bank" button: this session, this payment. */
export function actionToken(secret: string, sessionId: string, paymentId: string): string {
  return createHmac('sha256', secret).update(`${ACTION_DOMAIN}${sessionId}.${paymentId}`).digest().subarray(0, 16).toString('base64url');
}

export function isActionToken(secret: string, sessionId: string, paymentId: string, given: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(actionToken(secret, sessionId, paymentId), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
