import {
  BankDuplicateError,
  BankNotFoundError,
  BankNotSupportedError,
  BankRateLimitedError,
  BankRejectedError,
  BankUnauthorizedError,
  BankUnreachableError,
  type BankError,
  isBankError,
  requestNotSent,
} from '../connector/stet/errors/bank-error.js';

/** How the submit processor treats a failed POST (see `classifySubmitError`). */
export type SubmitErrorKind = 'rejected' | 'rate_limited' | 'duplicate' | 'credentials' | 'transient';

function named(err: unknown, cls: { name: string }): boolean {
  return typeof err === 'object' && err !== null && (err as Error).name === cls.name;
}
function is(err: unknown, cls: abstract new (...a: never[]) => unknown): boolean {
  return err instanceof cls || named(err, cls);
}

/**
 * The one place bank failures of a POST become worker decisions. Specific
 * cases first; anything unknown (time-out, abort, a bug) is transient: retried
 * with the same ids, the ledger and the bank's duplicate refusal guard it.
 */
export function classifySubmitError(err: unknown): SubmitErrorKind {
  if (is(err, BankRejectedError)) return 'rejected';
  if (is(err, BankRateLimitedError)) return 'rate_limited';
  if (is(err, BankDuplicateError)) return 'duplicate';
  if (is(err, BankUnauthorizedError) || is(err, BankNotSupportedError) || is(err, BankNotFoundError)) return 'credentials';
  return 'transient';
}

const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * False only when the request surely never reached the bank (no connection
 * was made, its access token could not be had, or the bank refused it before
 * processing: 429, 401/403). Any
 * doubt (time-out, 5xx, dropped connection, abort) is true.
 */
export function mayHaveReachedBank(err: unknown): boolean {
  if (requestNotSent(err)) return false; // its access token failed: the payment request never left
  const kind = classifySubmitError(err);
  if (kind === 'rate_limited' || kind === 'credentials') return false;
  if (is(err, BankUnreachableError)) return false; // no connection was made (a connect time-out included): nothing was sent
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NEVER_CONNECTED.has(code)) return false;
    e = (e as { cause?: unknown }).cause;
  }
  return true;
}

/** A sentence a clerk can act on, from the bank's rejection. */
export function rejectionReason(err: unknown): { code?: string; reason: string; bankSaid: string } {
  const b: Partial<BankError> = isBankError(err) ? err : {};
  const code = b.stetCode;
  const details = [code && `code ${code}`, b.field && `field ${b.field}`].filter(Boolean).join(', ');
  const said = b.bankMessage ?? (err instanceof Error ? err.message : String(err));
  const bankSaid = `${said}${details ? ` (${details})` : ''}`;
  return {
    code,
    bankSaid,
    reason: `The bank refused this payment: ${bankSaid}. Correct the bill or the supplier's bank details, then run stetpay retry with the bill number: the next run sends a new payment.`,
  };
}

export function retryAfterOf(err: unknown): number | undefined {
  const ms = (err as BankRateLimitedError | undefined)?.retryAfterMs;
  return typeof ms === 'number' && ms > 0 ? ms : undefined;
}
