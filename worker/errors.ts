/**
 * The bank refused stetpay's credentials (or the endpoint is wrong): no payment
 * can go until the operator fixes the configuration. The bill stays `queued`
 * in Odoo and is sent once fixed (sweeper or `stetpay run`).
 */
export class BankCredentialsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BankCredentialsError';
  }
}

/** A payment id BullMQ cannot take as a jobId (`:` in it, or all digits). */
export class InvalidJobIdError extends Error {
  constructor(readonly jobId: string) {
    super(`payment id "${jobId}" cannot be a BullMQ job id (no ':' and not all digits): check the id rules`);
    this.name = 'InvalidJobIdError';
  }
}

/**
 * The write-back drainer no longer holds its lock (Redis unreachable for longer
 * than the lock lives): it stops before writing, the drainer holding the lock
 * now writes the batch. Nothing to do; reported through `onError`.
 */
export class DrainLockLostError extends Error {
  constructor(readonly lockKey: string) {
    super(`the write-back drain lost its lock (${lockKey}) before writing: the drainer holding it now writes the batch`);
    this.name = 'DrainLockLostError';
  }
}

/**
 * Odoo refused the results of some bills for good (e.g. the bill was deleted):
 * they were set aside in the dead-letter list and the rest of the batch was
 * written. Reported through the drainer's `onError`; nothing to retry.
 */
export class WritebackDeadLetterError extends Error {
  constructor(
    readonly billIds: number[],
    readonly deadLetterKey: string,
    readonly odooMessage: string,
  ) {
    super(
      `Odoo refused the result of bill(s) ${billIds.join(', ')} for good (${odooMessage}): set aside in the Redis list ${deadLetterKey}, ` +
        'the other results were written. See "Dead letters" in docs/worker.md.',
    );
    this.name = 'WritebackDeadLetterError';
  }
}
