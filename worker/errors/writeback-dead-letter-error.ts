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
