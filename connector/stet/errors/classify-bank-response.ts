/**
 * One pure classifier: a bank answer that is not a success becomes the error class
 * that says what the caller must do. Specific cases first (stripe-node's
 * generateV1Error): "duplicate unique key" before generic 5xx, "Invalid Token"
 * before generic 400, 429/TMRQ before the rest.
 */
import {
  BankConflictError,
  BankDuplicateError,
  BankError,
  BankNotFoundError,
  BankNotSupportedError,
  BankRateLimitedError,
  BankRejectedError,
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

/** True for the answers after which one token renewal and one replay are due (NWM-22: 400 "Invalid Token"; 401). */
export function isTokenRefusal(status: number, text: string): boolean {
  return status === 401 || (status === 400 && /invalid[ _]token/i.test(text));
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

export function classifyBankResponse(raw: RawBankResponse): BankError {
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

  if (s === 500 && /duplicate unique key/i.test(raw.text)) {
    return new BankDuplicateError(`The bank already has a payment with this paymentInformationId (${call} -> 500${said}). Never resend with new ids: read its status instead${support}.`, d);
  }
  if (isTokenRefusal(s, raw.text) || s === 403) {
    return new BankUnauthorizedError(`The bank refused stetpay's access token or certificate on ${call} (${s}${said}). Check the QWAC, the client_id and the token URL${support}.`, d);
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
  if (s >= 500) return new BankTransientError(`The bank failed on ${call} (${s}${said}); it may or may not have the payment: retry with the same ids${support}.`, d);
  return new BankError(`Unexpected answer ${s} from the bank on ${call}${said}${support}.`, d);
}
