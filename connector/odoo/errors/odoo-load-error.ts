import { OdooError } from './odoo-error.js';

/** One message of Odoo's `load()` answer. */
export interface OdooLoadMessage {
  type: string;
  message: string;
  /** The row (0-based) the message is about, when it is about one. */
  record?: number;
  field?: string;
}

/**
 * A selection option Odoo does not know (`stetpay install` fixes it for every
 * row at once), or a right the user lacks (Odoo's AccessError on each row's
 * write): about the whole call, not the row it names. (A field Odoo does not
 * know at all is no message: `load` faults, see OdooFieldsMissingError.)
 */
const SCHEMA_PROBLEM = /invalid field|unknown field|not found in selection field|not allowed to (?:modify|create|access)/i;

/**
 * The rows Odoo refused for what they are (a bill deleted: "Unknown database
 * identifier"; a value of theirs), as opposed to refusals of the whole call,
 * each with Odoo's first message about it. Writing such a row again can never
 * succeed.
 */
export function refusedRows(messages: readonly OdooLoadMessage[]): { row: number; message: string }[] {
  const byRow = new Map<number, string>();
  for (const m of messages) {
    if (m.type !== 'error' || typeof m.record !== 'number' || SCHEMA_PROBLEM.test(m.message)) continue;
    if (!byRow.has(m.record)) byRow.set(m.record, m.message);
  }
  return [...byRow].sort(([a], [b]) => a - b).map(([row, message]) => ({ row, message }));
}

/** A bill whose result Odoo refused for good, and why (Odoo's words). */
export interface OdooRefusedBill {
  billId: number;
  message: string;
}

/** `load()` refused a batch: nothing of that batch was written (earlier batches were). */
export class OdooLoadError extends OdooError {
  constructor(
    message: string,
    readonly messages: OdooLoadMessage[],
    /** Every bill of the refused batch. */
    readonly billIds: number[],
    /** The bills Odoo refused for good (see {@link refusedRows}); [] when the refusal is about the whole batch. */
    readonly refused: OdooRefusedBill[] = [],
  ) {
    super(message, { call: 'account.move.load' });
  }

  get refusedBillIds(): number[] {
    return this.refused.map((r) => r.billId);
  }
}
