import { OdooError } from './odoo-error.js';

/** One message of Odoo's `load()` answer. */
export interface OdooLoadMessage {
  type: string;
  message: string;
  record?: number;
  field?: string;
}

/** `load()` refused a batch: nothing of that batch was written (earlier batches were). */
export class OdooLoadError extends OdooError {
  constructor(
    message: string,
    readonly messages: OdooLoadMessage[],
    readonly billIds: number[],
  ) {
    super(message, { call: 'account.move.load' });
  }
}
