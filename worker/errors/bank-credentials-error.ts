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
