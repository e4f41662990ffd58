/**
 * Executed at the bank -> paid in Odoo: the "Register Payment" wizard, never
 * twice for one payment (a payment with this memo, or a bill with nothing left
 * to pay, means it is done). Uncertain outcomes (time-out, None fault) are
 * settled by reading again, never by registering again.
 *
 * In batches, as a clerk selects many bills and registers them at once: one
 * `search_read` of the payments by memo, one of the bills, then one wizard per
 * {@link REGISTER_BATCH} bills of one payment date and journal with
 * `group_payment` False (Odoo makes one payment per bill, its memo the bill's
 * reference: account_payment_register.py `_create_payments`, transcripts
 * p17/p18), one `read` of the new payments (which bill each pays), and one
 * `load` that writes their memos, the end-to-end ids (`ref` on 16/17, `memo`
 * on 18; writable after posting). N bills cost 4 + 2 x ceil(N / 50) calls for
 * one date and journal (a single one: 5, its memo given to the wizard). A wizard Odoo refuses for one bill
 * (blocked, nothing left to pay) is tried again bill by bill, so one bill
 * never stops the others.
 */
import { OdooConnectionError, OdooServerError, OdooUserError } from './errors.js';
import type { OdooClient } from './odoo-client.js';
import { chunks, m2oId, num, type OdooRow } from './odoo-values.js';
import { odooDialect, type OdooMajorVersion } from './odoo-dialect.js';

/** Bills per wizard: one call stays within a few seconds on a real Odoo (about 0.1 s a payment). */
export const REGISTER_BATCH = 50;
/** Rows per memo `load`, per `read` of bills or payments. */
const ROWS_PER_CALL = 500;

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

/** The payment's memo field (the dialect's: `ref` until 17, `memo` from 18). */
export const paymentMemoField = (version: OdooMajorVersion): string => odooDialect(version).paymentMemoField;

/** The first live (not cancelled) payment of each memo. One call. */
async function findPayments(client: OdooClient, memos: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (memos.length === 0) return found;
  const field = paymentMemoField(client.version);
  const cancelled = odooDialect(client.version).paymentCancelledState;
  const rows = await client.call<OdooRow[]>('account.payment', 'search_read', [[[field, 'in', memos], ['state', '!=', cancelled]]], { fields: [field], order: 'id asc' });
  for (const r of rows) if (typeof r[field] === 'string' && !found.has(r[field] as string)) found.set(r[field] as string, r.id);
  return found;
}

/** Whether a failed wizard call may still have created the payment (the answer was lost, not necessarily the payment). */
const uncertain = (e: unknown): boolean => (e instanceof OdooConnectionError && e.maybeDone) || e instanceof OdooServerError;

/** A wizard's outcome for its bills: the payments it made (by bill), or its error, or unsure (the answer was lost). */
type WizardOutcome = { made: number[] } | { error: unknown; unsure: boolean };

/** One wizard on `bills` (one date, one journal), group_payment False: the ids of the payments Odoo made. */
async function runWizard(client: OdooClient, bills: readonly RegisterPaymentOptions[]): Promise<WizardOutcome> {
  const { journalId, paymentDate } = bills[0]!;
  const context = { active_model: 'account.move', active_ids: bills.map((b) => b.billId) };
  try {
    // One bill: its memo directly (the wizard's communication is the payment's); several: each bill's own reference, rewritten below.
    const vals = { journal_id: journalId, payment_date: paymentDate, group_payment: false, ...(bills.length === 1 ? { communication: bills[0]!.memo } : {}) };
    const wizardId = await client.call<number>('account.payment.register', 'create', [vals], { context });
    // account_payment_register.py action_create_payments: one payment -> res_id, several -> domain [('id', 'in', ids)].
    const action = await client.callMaybeNone<{ res_id?: number; domain?: unknown[] } | boolean>('account.payment.register', 'action_create_payments', [[wizardId]], { context });
    if (typeof action !== 'object' || action === null) return { error: new OdooServerError('Odoo registered the payments without saying which (no action returned)'), unsure: true };
    if (typeof action.res_id === 'number') return { made: [action.res_id] };
    const clause = (action.domain ?? []).find((c): c is [string, string, number[]] => Array.isArray(c) && c[0] === 'id' && c[1] === 'in');
    return clause ? { made: clause[2] } : { error: new OdooServerError('Odoo registered the payments without saying which (no ids in its action)'), unsure: true };
  } catch (e) {
    return { error: e, unsure: uncertain(e) };
  }
}

/**
 * Which bill each payment pays (`reconciled_bill_ids`), for payments made by our wizards (`ids`) or, after a
 * lost answer, found by their journal, date and suppliers among the bills we asked for. One call per 500.
 */
async function paymentsOfBills(client: OdooClient, how: { ids: number[] } | { journalId: number; paymentDate: string; partnerIds: number[] }): Promise<Map<number, number>> {
  const byBill = new Map<number, number>();
  const cancelled = odooDialect(client.version).paymentCancelledState;
  const pages = 'ids' in how
    ? chunks(how.ids, ROWS_PER_CALL).map((ids) => client.call<OdooRow[]>('account.payment', 'read', [ids], { fields: ['reconciled_bill_ids', 'state'] }))
    : [client.call<OdooRow[]>('account.payment', 'search_read', [[['journal_id', '=', how.journalId], ['date', '=', how.paymentDate], ['partner_id', 'in', how.partnerIds], ['state', '!=', cancelled]]], { fields: ['reconciled_bill_ids', 'state'], order: 'id asc' })];
  for (const rows of pages) {
    for (const r of await rows) {
      if (r.state === cancelled) continue;
      for (const billId of (r.reconciled_bill_ids as number[] | undefined) ?? []) if (!byBill.has(billId)) byBill.set(billId, r.id);
    }
  }
  return byBill;
}

/** Writes each new payment's memo (its end-to-end id), 500 a call. A failure leaves the payments registered, without their memo. */
async function writeMemos(client: OdooClient, memos: { paymentId: number; memo: string }[]): Promise<void> {
  const field = paymentMemoField(client.version);
  for (const batch of chunks(memos, ROWS_PER_CALL)) {
    await client.call('account.payment', 'load', [['.id', field], batch.map((m) => [String(m.paymentId), m.memo])], { context: { tz: 'UTC', lang: 'en_US' } }, { retry: 'idempotent' });
  }
}

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

  // 2. The bills (search_read: a deleted bill is absent rather than failing the batch).
  const bills = new Map<number, OdooRow>();
  for (const ids of chunks([...new Set(todo.map((it) => it.billId))], ROWS_PER_CALL)) {
    for (const b of await client.call<OdooRow[]>('account.move', 'search_read', [[['id', 'in', ids]]], { fields: ['state', 'payment_state', 'amount_residual', 'commercial_partner_id'] })) bills.set(b.id, b);
  }

  // 3. The wizard, for the bills that still have something to pay, by date and journal; one bill paid once
  // (two memos for one bill: the first registers it, the other finds it paid next time).
  const open = new Map<string, RegisterPaymentOptions[]>();
  const billTaken = new Set<number>();
  for (const it of todo) {
    const bill = bills.get(it.billId);
    if (!bill) {
      outcome.set(it.memo, { billId: it.billId, memo: it.memo, ok: false, error: new OdooUserError(`Bill ${it.billId} is not in Odoo any more: payment ${it.memo} cannot be registered on it; record it by hand`) });
      continue;
    }
    if (num(bill.amount_residual) === 0 || bill.payment_state === 'paid' || bill.payment_state === 'in_payment' || billTaken.has(it.billId)) {
      outcome.set(it.memo, { billId: it.billId, memo: it.memo, ok: true, paymentId: null, alreadyPaid: true });
      continue;
    }
    billTaken.add(it.billId);
    const key = `${it.journalId}|${it.paymentDate}`;
    open.set(key, [...(open.get(key) ?? []), it]);
  }
  const made: number[] = [];
  const registered: RegisterPaymentOptions[] = [];
  // A wizard on one bill takes the memo itself (its communication): no memo to write after.
  const memoGiven = new Set<string>();
  const unsure: { items: RegisterPaymentOptions[]; error: unknown }[] = [];
  const fail = (list: readonly RegisterPaymentOptions[], error: unknown) => list.forEach((it) => outcome.set(it.memo, { billId: it.billId, memo: it.memo, ok: false, error }));
  for (const group of open.values()) {
    for (const batch of chunks(group, REGISTER_BATCH)) {
      const r = await runWizard(client, batch);
      if ('made' in r) {
        made.push(...r.made);
        registered.push(...batch);
        if (batch.length === 1) memoGiven.add(batch[0]!.memo);
      } else if (r.unsure) unsure.push({ items: batch, error: r.error });
      else if (batch.length === 1) fail(batch, r.error);
      else {
        // Odoo refused the batch for some bill (blocked, paid meanwhile): each alone, so the others are paid.
        for (const it of batch) {
          const one = await runWizard(client, [it]);
          if ('made' in one) {
            made.push(...one.made);
            registered.push(it);
            memoGiven.add(it.memo);
          } else if (one.unsure) unsure.push({ items: [it], error: one.error });
          else fail([it], one.error);
        }
      }
    }
  }

  // 4. Which payment pays which bill, and whether the unsure ones were made: read again, never register again.
  const paymentOf = made.length ? await paymentsOfBills(client, { ids: made }).catch(() => new Map<number, number>()) : new Map<number, number>();
  for (const u of unsure) {
    const partnerIds = [...new Set(u.items.map((it) => m2oId(bills.get(it.billId)?.commercial_partner_id)).filter((x): x is number => x !== null))];
    const found = await paymentsOfBills(client, { journalId: u.items[0]!.journalId, paymentDate: u.items[0]!.paymentDate, partnerIds }).catch(() => new Map<number, number>());
    for (const it of u.items) {
      const paymentId = found.get(it.billId);
      if (paymentId === undefined) fail([it], u.error);
      else {
        paymentOf.set(it.billId, paymentId);
        registered.push(it);
      }
    }
  }

  // 5. The memos: each payment is found by its end-to-end id from now on (a failure here leaves it paid, found by its bill).
  const memos = registered.flatMap((it) => {
    const paymentId = paymentOf.get(it.billId);
    if (memoGiven.has(it.memo)) return [];
    return paymentId === undefined ? [] : [{ paymentId, memo: it.memo }];
  });
  if (memos.length) await writeMemos(client, memos).catch(() => undefined);
  for (const it of registered) outcome.set(it.memo, { billId: it.billId, memo: it.memo, ok: true, paymentId: paymentOf.get(it.billId) ?? null, alreadyPaid: false });
  return items.map((it) => ({ ...outcome.get(it.memo)!, billId: it.billId }));
}

/** One payment: {@link registerPayments} with one item. @throws what registering it failed with. */
export async function registerPayment(client: OdooClient, opts: RegisterPaymentOptions): Promise<RegisterPaymentResult> {
  const [r] = await registerPayments(client, [opts]);
  if (!r!.ok) throw r!.error;
  return { paymentId: r!.paymentId, alreadyPaid: r!.alreadyPaid };
}
