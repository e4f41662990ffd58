/**
 * Executed at the bank -> paid in Odoo: the "Register Payment" wizard on each
 * bill, never twice for one payment (a payment with this memo, or a bill with
 * nothing left to pay, means it is done). Uncertain outcomes (time-out, None
 * fault) are settled by reading again, never by registering again.
 *
 * In batches: one `search_read` of the payments by memo, one of the bills,
 * then the wizard (create + action_create_payments) only for the bills that
 * still need it, and one more `search_read` for the new payments' ids.
 * N bills to register cost 2N + 3 calls (a single one: 5, as before).
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

/** One item's outcome in {@link registerPayments}: registered (or found done), or why not (nothing registered, or unknown: retry later). */
export type RegisterPaymentOutcome =
  | ({ billId: number; memo: string; ok: true } & RegisterPaymentResult)
  | { billId: number; memo: string; ok: false; error: unknown };

/** 16/17 keep the memo in `ref` (account.payment inherits account.move); 18 has `memo`. */
export const paymentMemoField = (version: number): string => (version >= 18 ? 'memo' : 'ref');

/** The first live (not cancelled) payment of each memo. One call. */
async function findPayments(client: OdooClient, memos: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (memos.length === 0) return found;
  const field = paymentMemoField(client.version);
  const cancelled = client.version >= 18 ? 'canceled' : 'cancel';
  const rows = await client.call<OdooRow[]>('account.payment', 'search_read', [[[field, 'in', memos], ['state', '!=', cancelled]]], { fields: [field], order: 'id asc' });
  for (const r of rows) if (typeof r[field] === 'string' && !found.has(r[field] as string)) found.set(r[field] as string, r.id);
  return found;
}

/** Whether a failed wizard call may still have created the payment (the answer was lost, not necessarily the payment). */
const uncertain = (e: unknown): boolean => (e instanceof OdooConnectionError && e.maybeDone) || e instanceof OdooServerError;

/**
 * Registers each executed payment at most once. Items with the same memo are
 * one payment: registered once, each gets its outcome. Outcomes come back in
 * the order of `items`; an item's failure does not stop the others.
 */
export async function registerPayments(client: OdooClient, items: readonly RegisterPaymentOptions[]): Promise<RegisterPaymentOutcome[]> {
  const outcome = new Map<string, RegisterPaymentOutcome>();
  const byMemo = new Map<string, RegisterPaymentOptions>();
  for (const it of items) if (!byMemo.has(it.memo)) byMemo.set(it.memo, it);

  // 1. Done before: a live payment holds the memo.
  const existing = await findPayments(client, [...byMemo.keys()]);
  const todo: RegisterPaymentOptions[] = [];
  for (const it of byMemo.values()) {
    const paymentId = existing.get(it.memo);
    if (paymentId !== undefined) outcome.set(it.memo, { billId: it.billId, memo: it.memo, ok: true, paymentId, alreadyPaid: true });
    else todo.push(it);
  }

  // 2. The bills, in one call (search_read: a deleted bill is absent rather than failing the batch).
  const billIds = [...new Set(todo.map((it) => it.billId))];
  const bills = billIds.length
    ? new Map((await client.call<OdooRow[]>('account.move', 'search_read', [[['id', 'in', billIds]]], { fields: ['state', 'payment_state', 'amount_residual'] })).map((b) => [b.id, b]))
    : new Map<number, OdooRow>();

  // 3. The wizard, for the bills that still have something to pay; lost answers are settled in step 4.
  const registered: RegisterPaymentOptions[] = [];
  const unsure = new Map<string, unknown>();
  for (const it of todo) {
    const bill = bills.get(it.billId);
    if (!bill) {
      outcome.set(it.memo, { billId: it.billId, memo: it.memo, ok: false, error: new OdooUserError(`Bill ${it.billId} is not in Odoo any more: payment ${it.memo} cannot be registered on it; record it by hand`) });
      continue;
    }
    if (num(bill.amount_residual) === 0 || bill.payment_state === 'paid' || bill.payment_state === 'in_payment') {
      outcome.set(it.memo, { billId: it.billId, memo: it.memo, ok: true, paymentId: null, alreadyPaid: true });
      continue;
    }
    const context = { active_model: 'account.move', active_ids: [it.billId] };
    try {
      const wizardId = await client.call<number>('account.payment.register', 'create', [{ journal_id: it.journalId, payment_date: it.paymentDate, communication: it.memo, group_payment: false }], { context });
      await client.callMaybeNone('account.payment.register', 'action_create_payments', [[wizardId]], { context: { ...context, dont_redirect_to_payments: true } });
      registered.push(it);
    } catch (e) {
      if (uncertain(e)) unsure.set(it.memo, e);
      else outcome.set(it.memo, { billId: it.billId, memo: it.memo, ok: false, error: e });
    }
  }

  // 4. The new payments' ids, and whether the unsure ones were made: read again, never register again.
  if (registered.length || unsure.size) {
    const after = await findPayments(client, [...registered, ...todo.filter((it) => unsure.has(it.memo))].map((it) => it.memo)).catch(() => new Map<string, number>());
    for (const it of registered) outcome.set(it.memo, { billId: it.billId, memo: it.memo, ok: true, paymentId: after.get(it.memo) ?? null, alreadyPaid: false });
    for (const [memo, error] of unsure) {
      const it = byMemo.get(memo)!;
      const paymentId = after.get(memo);
      outcome.set(memo, paymentId !== undefined ? { billId: it.billId, memo, ok: true, paymentId, alreadyPaid: false } : { billId: it.billId, memo, ok: false, error });
    }
  }
  return items.map((it) => ({ ...outcome.get(it.memo)!, billId: it.billId }));
}

/** One payment: {@link registerPayments} with one item. @throws what registering it failed with. */
export async function registerPayment(client: OdooClient, opts: RegisterPaymentOptions): Promise<RegisterPaymentResult> {
  const [r] = await registerPayments(client, [opts]);
  if (!r!.ok) throw r!.error;
  return { paymentId: r!.paymentId, alreadyPaid: r!.alreadyPaid };
}
