/**
 * One pure classifier: a bank answer that is not a success becomes the error class
 * that says what the caller must do. Specific cases first (stripe-node's
 * generateV1Error): the bank's own duplicate and token-refusal signals (its
 * profile's, e.g. NWM's 500 "duplicate unique key" and 400 "Invalid Token")
 * before generic 5xx and 400, 429/TMRQ before the rest.
 */
import type { BankSignal, BankSignals } from '../../profiles/bank-profile.js';
import {
  BankConflictError,
  BankDuplicateError,
  BankError,
  BankNotFoundError,
  BankNotSupportedError,
  BankRateLimitedError,
  BankRejectedError,
  BankSignatureRefusedError,
  BankTransientError,
  BankUnauthorizedError,
  type BankErrorDetails,
} from './bank-error.js';

export interface RawBankResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text (may be empty). */
  text: string;
  /** The X-Request-ID we sent. */
  requestId?: string;
  /** For the message: e.g. 'POST', '/payment-requests'. */
  method?: string;
  path?: string;
  /** For an HTTP-date Retry-After. @defaultValue new Date() */
  now?: Date;
}

interface ParsedBody {
  code?: string;
  message?: string;
  error?: string;
  error_description?: string;
  details?: Array<{ path?: string; name?: string; message?: string }>;
}

function parseBody(text: string): ParsedBody {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as ParsedBody) : {};
  } catch {
    return {};
  }
}

function headerValue(h: RawBankResponse['headers'], name: string): string | undefined {
  const key = Object.keys(h).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : h[key];
  return Array.isArray(v) ? v[0] : v;
}

/** Retry-After as milliseconds from now: seconds or an HTTP-date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: Date = new Date()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

type RefusalInput = Pick<RawBankResponse, 'status' | 'text' | 'headers'>;

const matches = (raw: RefusalInput, signals: readonly BankSignal[]): boolean => signals.some((s) => s.status === raw.status && s.body.test(raw.text));

/**
 * True when the bank refused the access token itself, so one renewal and one replay
 * are due: one of the bank's token-refusal signals (NWM-22's 400 "Invalid Token"), or
 * a 401 about the token (RFC 6750's `WWW-Authenticate: Bearer error="invalid_token"`,
 * or "Invalid Token" in the body). A bare 401, or one about the signature, is not: a
 * new token would not help.
 */
export function isTokenRefusal(raw: RefusalInput, signals: BankSignals): boolean {
  if (matches(raw, signals.tokenRefusal)) return true;
  if (raw.status !== 401) return false;
  return /invalid[ _]token/i.test(raw.text) || /error\s*=\s*"?invalid_token/i.test(headerValue(raw.headers, 'www-authenticate') ?? '');
}

/** True when the answer is the bank's refusal of a paymentInformationId it already has. */
export function isDuplicateRefusal(raw: RefusalInput, signals: BankSignals): boolean {
  return matches(raw, signals.duplicate);
}

/** True when a 401/403 names the request's Signature or Digest (the QSealC side) as what was refused. */
export function isSignatureRefusal(raw: RefusalInput): boolean {
  if (raw.status !== 401 && raw.status !== 403) return false;
  return /signature|digest/i.test(`${raw.text} ${headerValue(raw.headers, 'www-authenticate') ?? ''}`);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** @param signals the bank profile's: how this bank words a duplicate and a token refusal. */
export function classifyBankResponse(raw: RawBankResponse, signals: BankSignals): BankError {
  const body = parseBody(raw.text);
  const code = str(body.code) ?? [body.message, body.error].map(str).find((v) => v !== undefined && /^[A-Z]{2}[A-Z0-9]{2}$/.test(v) && v !== 'RJCT');
  const texts = [str(body.message), str(body.error), str(body.error_description)].filter((v): v is string => v !== undefined);
  const bankMessage = (texts.length > 0 ? [...new Set(texts)].join(' / ') : raw.text.trim()).slice(0, 300) || undefined;
  const detail = Array.isArray(body.details) ? body.details[0] : undefined;
  const field = str(detail?.path) ?? str(detail?.name) ?? /the field ([\w.[\]$]+)/.exec(bankMessage ?? '')?.[1];
  const call = `${raw.method ?? 'call'} ${raw.path ?? ''}`.trim();
  const d: BankErrorDetails = { status: raw.status, requestId: raw.requestId, stetCode: code, field, bankMessage };
  const said = bankMessage ? `: ${bankMessage}` : '';
  const support = raw.requestId ? ` (X-Request-ID ${raw.requestId})` : '';
  const s = raw.status;

  if (isDuplicateRefusal(raw, signals)) {
    return new BankDuplicateError(`The bank already has a payment with this paymentInformationId (${call} -> ${s}${said}). Never resend with new ids: read its status instead${support}.`, d);
  }
  if (isTokenRefusal(raw, signals)) {
    return new BankUnauthorizedError(`The bank refused stetpay's access token on ${call} (${s}${said}). Check the QWAC, the client_id and the token URL${support}.`, d);
  }
  if (isSignatureRefusal(raw)) {
    if (!/signature/i.test(raw.text) && /digest/i.test(raw.text)) {
      return new BankSignatureRefusedError(`The bank refused the request's Digest on ${call} (${s}${said}): the body it received does not hash to the Digest sent; check that nothing between stetpay and the bank (a proxy) changes request bodies${support}.`, d);
    }
    return new BankSignatureRefusedError(`The bank refused the request's signature on ${call} (${s}${said}): check the QSealC key and qsealKeyId (the QSealC certificate registered with the bank)${support}.`, d);
  }
  if (s === 401 || s === 403) {
    // NWM answers 403 with no body for any "authentication issue": the token, the QWAC or the signature.
    return new BankUnauthorizedError(`The bank refused to authenticate ${call} (${s}${said}): the access token, the QWAC certificate or the request's signature. Check the QWAC, the client_id, the QSealC key and qsealKeyId${support}.`, d);
  }
  if (s === 429 || code === 'TMRQ') {
    const wait = retryAfterMs(headerValue(raw.headers, 'retry-after'), raw.now);
    return new BankRateLimitedError(`The bank says too many requests on ${call} (${s}${said}); wait${wait === undefined ? '' : ` ${wait} ms`} and try again${support}.`, { ...d, stetCode: code ?? 'TMRQ', retryAfterMs: wait });
  }
  if (s === 404) return new BankNotFoundError(`The bank does not know this resource (${call} -> 404${said}): wrong id, or past its 35 days${support}.`, d);
  if (s === 405) return new BankNotSupportedError(`The bank does not offer ${call} (405${said})${support}.`, d);
  if (s === 409) return new BankConflictError(`The payment's state at the bank forbids ${call} (409${said}): read its status${support}.`, d);
  if (s >= 400 && s < 500) {
    const where = field ? ` at ${field}` : '';
    return new BankRejectedError(`The bank rejected ${call} (${s}${code ? ' ' + code : ''}${where}${said}). Fix the payment's data; do not resend it as is${support}.`, d);
  }
  if (s >= 500) {
    // Only a call that creates or changes something leaves the bank's side in doubt.
    const then = raw.method === 'POST' || raw.method === 'PUT' ? 'it may or may not have the payment: retry with the same ids' : 'try again later';
    return new BankTransientError(`The bank failed on ${call} (${s}${said}); ${then}${support}.`, d);
  }
  return new BankError(`Unexpected answer ${s} from the bank on ${call}${said}${support}.`, d);
}
