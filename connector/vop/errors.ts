/**
 * What can go wrong asking the Verification of Payee provider, named by what
 * to do. None carries a secret; `requestId` is the X-Request-ID sent, to quote
 * to the provider.
 */
export class PayeeVerificationError extends Error {
  readonly isPayeeVerificationError = true;
  constructor(message: string, readonly requestId?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
  }
}

/** No complete answer within the time-out: the check was not made (vop.notPossible decides). Asked again next run. */
export class PayeeVerificationTimeoutError extends PayeeVerificationError {}

/** The provider is unreachable, overloaded (429, 5xx) or answered something unreadable: the check was not made. */
export class PayeeVerificationUnavailableError extends PayeeVerificationError {}

/**
 * The provider refused stetpay itself (401/403, or the TLS handshake with the
 * client certificate): every check would fail the same way. The run stops
 * before reserving anything more; fix vop.cert / vop.key / vop.url.
 */
export class PayeeVerificationRefusedError extends PayeeVerificationError {}

export function isPayeeVerificationError(e: unknown): e is PayeeVerificationError {
  return e instanceof PayeeVerificationError || (typeof e === 'object' && e !== null && (e as PayeeVerificationError).isPayeeVerificationError === true);
}
