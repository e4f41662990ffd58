/**
 * The bank's answers that are not success, named by what the caller must do
 * (stripe-node style). One pure classifier (`classify-bank-response.ts`) maps a
 * raw response to one of these. Errors carry no secret: no token, no key.
 */
export interface BankErrorDetails {
  /** HTTP status, when the bank answered. */
  status?: number;
  /** The X-Request-ID we sent: quote it to the bank's support. */
  requestId?: string;
  /** STET/bank code such as FF01, RJCT, TMRQ, when the body gave one. */
  stetCode?: string;
  /** The field the bank complained about (JSONPath or name), when given. */
  field?: string;
  /** The bank's own message, cut to 300 characters. */
  bankMessage?: string;
  cause?: unknown;
}

export class BankError extends Error {
  readonly isBankError = true;
  status?: number;
  requestId?: string;
  stetCode?: string;
  field?: string;
  bankMessage?: string;

  constructor(message: string, details: BankErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = details.status;
    this.requestId = details.requestId;
    this.stetCode = details.stetCode;
    this.field = details.field;
    this.bankMessage = details.bankMessage;
  }
}

/** Final: the bank refused the request's content (400 FF01/RJCT). Record `rejected` with the reason. */
export class BankRejectedError extends BankError {}
/** The token or certificate was refused even after one renewal: stop and fix the credentials. */
export class BankUnauthorizedError extends BankError {}
/**
 * The bank refused the request's Signature or Digest (the QSealC side), not the
 * token: renewing the token cannot help. Stop and fix the QSealC key or qsealKeyId.
 * A BankUnauthorizedError, so every caller that stops on credentials stops on it.
 */
export class BankSignatureRefusedError extends BankUnauthorizedError {}
/** The resource does not exist (404), or no longer (after the bank's 35 days). */
export class BankNotFoundError extends BankError {}
/** The bank does not offer this call (405), e.g. NWM's cancellation and confirmation. */
export class BankNotSupportedError extends BankError {}
/** 429 / TMRQ: wait on the shared rate limit; no attempt is spent. */
export class BankRateLimitedError extends BankError {
  /** From Retry-After, when the bank gave one. */
  retryAfterMs?: number;
  constructor(message: string, details: BankErrorDetails & { retryAfterMs?: number } = {}) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}
/** The bank already has a payment with these ids (NWM: 500 "duplicate unique key"). Never send a new id. */
export class BankDuplicateError extends BankError {}
/** Other 5xx, a time-out or a dropped connection: the bank may or may not have it; retry with the same ids. */
export class BankTransientError extends BankError {}

/** Why no connection to the bank could be made. */
/** `rate-limit`: the shared bank rate limit (in Redis) could not be asked, so the request was held back. */
export type UnreachableReason = 'refused' | 'connect-timeout' | 'no-route' | 'dns' | 'rate-limit';

/**
 * No connection to the bank could be made (refused, no answer to connect, no
 * route, a name server failing for now): nothing was sent, so the bank does not
 * have the request. Temporary: the bank or the network is down.
 */
export class BankUnreachableError extends BankTransientError {
  readonly reason: UnreachableReason;
  constructor(message: string, reason: UnreachableReason, details: BankErrorDetails = {}) {
    super(message, details);
    this.reason = reason;
  }
}

/** The client's settings, by the StetClient option that holds each: what a set-up error names. */
export type BankSetting = 'baseUrl' | 'tokenUrl' | 'clientId' | 'qwacCert' | 'qwacKey' | 'qsealKey' | 'qsealKeyId' | 'ca';

/**
 * stetpay's own set-up is wrong (a file that holds the wrong thing, a key that
 * does not match its certificate, a CA that does not sign the bank's
 * certificate, a host name that does not exist): not an outage and not
 * temporary; nothing reached the bank. `setting` names what to fix. A
 * BankUnauthorizedError, so every caller that stops on credentials stops on it
 * (the worker keeps the payment queued until the operator fixes it).
 */
export class BankSetupError extends BankUnauthorizedError {
  readonly setting: BankSetting;
  constructor(message: string, setting: BankSetting, details: BankErrorDetails = {}) {
    super(message, details);
    this.setting = setting;
  }
}

/**
 * Marks a failure that came before the call's own request left: its access
 * token could not be had (the token endpoint failed, refused or timed out), or
 * the call was aborted while waiting for one. The bank cannot have the request,
 * whatever status the error carries (a 503 of the token endpoint is not a 503
 * of the payment request). Returns `err`.
 */
export function markRequestNotSent<E>(err: E): E {
  if (typeof err === 'object' && err !== null) (err as { requestNotSent?: boolean }).requestNotSent = true;
  return err;
}

/** True when `err` was marked by `markRequestNotSent`: the request itself never left. */
export function requestNotSent(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { requestNotSent?: unknown }).requestNotSent === true;
}

/** Type guard that survives realms and processes (checks the name too). */
export function isBankError(e: unknown): e is BankError {
  return e instanceof BankError || (typeof e === 'object' && e !== null && (e as BankError).isBankError === true);
}

/** 409: the payment's state forbids the call (e.g. cancelling after ACSP, confirming before consent). Final for this call; read the status. */
export class BankConflictError extends BankError {}

/**
 * The caller's AbortSignal stopped the call (name 'AbortError', like fetch's).
 * Not a BankError: the bank may or may not have received the request, and the
 * caller chose to stop, so nothing is classified. `cause` is the signal's reason.
 */
export class BankCallAbortedError extends Error {
  override readonly name = 'AbortError';
  requestId?: string;
  constructor(message: string, requestId?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.requestId = requestId;
  }
}
