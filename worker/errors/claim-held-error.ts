/** Another worker holds a live ledger claim on this payment: the job waits, it does not POST. */
export class ClaimHeldError extends Error {
  constructor(readonly paymentInformationId: string, readonly retryInMs: number) {
    super(`payment ${paymentInformationId} is being sent by another worker; trying again in ${Math.ceil(retryInMs / 1000)} s`);
    this.name = 'ClaimHeldError';
  }
}
