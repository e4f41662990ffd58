/**
 * Thrown by a `checkStatus` hook when the token is genuine but stetpay no
 * longer knows the payment (e.g. the bill was resubmitted): the callback then
 * answers 400 "unknown payment" instead of "approved".
 */
export class UnknownPaymentError extends Error {
  readonly isUnknownPaymentError = true;
  constructor(readonly paymentId: string) {
    super(`payment ${paymentId} is not known to stetpay`);
    this.name = 'UnknownPaymentError';
  }
}

export const isUnknownPaymentError = (e: unknown): e is UnknownPaymentError =>
  e instanceof UnknownPaymentError || (e as UnknownPaymentError | undefined)?.isUnknownPaymentError === true;
