/**
 * The executed date and the amount actually paid, taken from what Odoo records:
 * the payment stetpay registered on ACSC (memo = the end-to-end id, date = the
 * bank's execution date). A bill with no such payment keeps both unknown: the
 * report leaves the date empty rather than guess it.
 */
import type { TrackedBill } from '../../connector/model/index.js';
import { paymentMemoField, type OdooClient } from '../../connector/odoo/index.js';
import { toCents } from '../../connector/rules/money.js';
import { odooDialect } from '../../connector/odoo/index.js';

interface PaymentRow {
  id: number;
  date: string | false;
  amount: number | false;
  [memo: string]: unknown;
}

/** Bills with `executedDate` and `amountCents` filled where a registered payment says so. One read call. */
export async function withExecutedPayments(client: OdooClient, bills: readonly TrackedBill[]): Promise<TrackedBill[]> {
  const e2e = [...new Set(bills.filter((b) => b.status === 'executed' && b.endToEndId).map((b) => b.endToEndId!))];
  if (e2e.length === 0) return [...bills];
  const memo = paymentMemoField(client.version);
  const cancelled = odooDialect(client.version).paymentCancelledState;
  const rows = await client.call<PaymentRow[]>('account.payment', 'search_read', [[[memo, 'in', e2e], ['state', '!=', cancelled]]], { fields: [memo, 'date', 'amount'], order: 'id asc' });
  const byMemo = new Map<string, PaymentRow>();
  for (const r of rows) if (typeof r[memo] === 'string' && !byMemo.has(r[memo] as string)) byMemo.set(r[memo] as string, r);
  return bills.map((b) => {
    const p = b.status === 'executed' && b.endToEndId ? byMemo.get(b.endToEndId) : undefined;
    if (!p) return b;
    return {
      ...b,
      executedDate: typeof p.date === 'string' ? p.date : null,
      amountCents: typeof p.amount === 'number' ? toCents(p.amount) : null,
    };
  });
}
