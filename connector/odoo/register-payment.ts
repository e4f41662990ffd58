/**
 * Executed at the bank -> paid in Odoo: the "Register Payment" wizard on the bill,
 * never twice for one payment (a payment with this memo, or a bill with nothing
 * left to pay, means it is done). Uncertain outcomes (time-out, None fault) are
 * settled by reading again, never by registering again.
 */
import { OdooConnectionError } from './errors/odoo-connection-error.js';
import { OdooServerError } from './errors/odoo-server-error.js';
import { OdooUserError } from './errors/odoo-user-error.js';
import type { OdooClient } from './odoo-client.js';
import { num, type OdooRow } from './odoo-values.js';

export interface RegisterPaymentOptions {
  billId: number;
  /** The company's bank journal (DebtorData.journalId). */
  journalId: number;
  /** YYYY-MM-DD: the bank's execution date. */
  paymentDate: string;
  /** The payment's end-to-end id: the memo that identifies it in Odoo. */
  memo: string;
}

export interface RegisterPaymentResult {
  /** The account.payment holding this memo, when there is one. */
  paymentId: number | null;
  /** True when nothing was registered now: it was done before (or the bill has nothing left to pay). */
  alreadyPaid: boolean;
}

/** 16/17 keep the memo in `ref` (account.payment inherits account.move); 18 has `memo`. */
export const paymentMemoField = (version: number): string => (version >= 18 ? 'memo' : 'ref');

async function findPayment(client: OdooClient, memo: string): Promise<number | null> {
  const cancelled = client.version >= 18 ? 'canceled' : 'cancel';
  const ids = await client.call<number[]>('account.payment', 'search', [[[paymentMemoField(client.version), '=', memo], ['state', '!=', cancelled]]], { limit: 1 });
  return ids[0] ?? null;
}

export async function registerPayment(client: OdooClient, opts: RegisterPaymentOptions): Promise<RegisterPaymentResult> {
  const existing = await findPayment(client, opts.memo);
  if (existing !== null) return { paymentId: existing, alreadyPaid: true };
  const [bill] = await client.call<OdooRow[]>('account.move', 'read', [[opts.billId]], { fields: ['state', 'payment_state', 'amount_residual'] });
  if (!bill) throw new OdooUserError(`Bill ${opts.billId} is not in Odoo any more`);
  if (num(bill.amount_residual) === 0 || bill.payment_state === 'paid' || bill.payment_state === 'in_payment') return { paymentId: null, alreadyPaid: true };

  const context = { active_model: 'account.move', active_ids: [opts.billId] };
  const wizardId = await client.call<number>('account.payment.register', 'create', [{ journal_id: opts.journalId, payment_date: opts.paymentDate, communication: opts.memo, group_payment: false }], { context });
  try {
    await client.callMaybeNone('account.payment.register', 'action_create_payments', [[wizardId]], { context: { ...context, dont_redirect_to_payments: true } });
  } catch (e) {
    // the answer was lost, not necessarily the payment: look before anyone tries again
    if (!(e instanceof OdooConnectionError && e.maybeDone) && !(e instanceof OdooServerError)) throw e;
    const after = await findPayment(client, opts.memo).catch(() => null);
    if (after !== null) return { paymentId: after, alreadyPaid: false };
    throw e;
  }
  return { paymentId: await findPayment(client, opts.memo), alreadyPaid: false };
}
