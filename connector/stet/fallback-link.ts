/**
 * The bank's own fallback for when its API is down (PSD2 RTS art. 33; NWM's
 * guide, "Using the fallback"): the token request sent with the header
 * `fallback: 1` and the QWAC is answered `302 Found` with a `Location` into the
 * company's online banking that carries a JWT (`&fallback=`). The signatory
 * follows it, logs in with their own means, and uploads the pain.001 file there.
 */
import { BankError, BankNotSupportedError, BankUnauthorizedError } from './errors/bank-error.js';
import { classifyBankResponse } from './errors/classify-bank-response.js';
import type { BankSignals } from '../profiles/bank-profile.js';

export interface FallbackLink {
  /**
   * The `Location` of the bank's 302: online banking, carrying the `fallback=` JWT.
   * A short-lived credential of the company: give it to the signatory only; never log or store it.
   */
  url: string;
  /** When the JWT says the link stops working (its `exp`), when it says. */
  expiresAt?: Date;
  /** The X-Request-ID of the fallback request: quote it to the bank's support. */
  requestId: string;
}

export interface FallbackAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** `exp` of a JWT, read without verifying it (stetpay is not its audience; online banking checks it). */
function jwtExpiry(jwt: string): Date | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' && Number.isFinite(payload.exp) ? new Date(payload.exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The link in the bank's answer to a fallback request.
 * @throws BankUnauthorizedError when the bank refused the QWAC or the client_id; BankNotSupportedError
 * when it answered as to a plain token request (no fallback at this endpoint); another BankError else.
 */
export function fallbackLinkFrom(raw: FallbackAnswer, o: { requestId: string; path: string; clientId: string; signals: BankSignals }): FallbackLink {
  const call = `POST ${o.path} (fallback: 1)`;
  const support = ` (X-Request-ID ${o.requestId})`;
  const header = raw.headers.location;
  const location = Array.isArray(header) ? header[0] : header;
  if (raw.status >= 300 && raw.status < 400) {
    let url: URL | undefined;
    try {
      url = location ? new URL(location) : undefined;
    } catch { /* reported below */ }
    const jwt = url?.searchParams.get('fallback');
    if (!url || url.protocol !== 'https:' || !jwt) {
      throw new BankError(`The bank answered ${call} with ${raw.status} but no https Location carrying a fallback= token; log in to online banking directly${support}.`, { status: raw.status, requestId: o.requestId });
    }
    return { url: url.href, expiresAt: jwtExpiry(jwt), requestId: o.requestId };
  }
  if (raw.status === 200) {
    throw new BankNotSupportedError(`The bank answered ${call} as a plain token request (200): it offers no fallback link at this endpoint; log in to online banking directly${support}.`, { status: 200, requestId: o.requestId });
  }
  const classified = classifyBankResponse({ ...raw, requestId: o.requestId, method: 'POST', path: o.path }, o.signals);
  if (raw.status === 400 || raw.status === 401 || raw.status === 403) {
    throw new BankUnauthorizedError(
      `The bank's fallback refused client_id ${o.clientId} with this QWAC certificate (${raw.status}: ${classified.bankMessage ?? 'no message'}); log in to online banking directly, and check the QWAC and client_id${support}.`,
      { status: raw.status, requestId: o.requestId, bankMessage: classified.bankMessage },
    );
  }
  throw classified;
}
