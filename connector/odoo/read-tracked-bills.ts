/** Bills stetpay already took in hand, read back in batches (sync, sweeper, cancel, report). */
import type { BillStatus } from '../model/bill-status.js';
import type { TrackedBill } from '../model/tracked-bill.js';
import type { OdooClient } from './odoo-client.js';
import { chunks, m2oId, m2oName, num, str, type OdooRow } from './odoo-values.js';

export interface ReadTrackedOptions {
  /** Only these statuses. @defaultValue every bill with a status */
  statuses?: BillStatus[];
  /** Only these bills (whatever their status). */
  billIds?: number[];
  /** YYYY-MM-DD or `YYYY-MM-DD HH:MM:SS` UTC: only bills updated since then. */
  since?: string;
  /** Bills per read call. @defaultValue 1000 */
  pageSize?: number;
}

const FIELDS = [
  'name', 'commercial_partner_id', 'partner_bank_id', 'currency_id', 'amount_total', 'amount_residual', 'payment_state',
  'x_stet_status', 'x_stet_bank_status', 'x_stet_status_reason', 'x_stet_end_to_end_id', 'x_stet_payment_information_id',
  'x_stet_resource_id', 'x_stet_consent_url', 'x_stet_requested_execution_date', 'x_stet_attempt', 'x_stet_updated_at',
];

export async function readTrackedBills(client: OdooClient, opts: ReadTrackedOptions = {}): Promise<TrackedBill[]> {
  const domain: unknown[] = [];
  if (opts.billIds) domain.push(['id', 'in', opts.billIds]);
  if (opts.statuses) domain.push(['x_stet_status', 'in', opts.statuses]);
  if (!opts.billIds && !opts.statuses) domain.push(['x_stet_status', '!=', false]);
  if (opts.since) domain.push(['x_stet_updated_at', '>=', opts.since.length === 10 ? `${opts.since} 00:00:00` : opts.since]);
  const ids = await client.call<number[]>('account.move', 'search', [domain], { order: 'id asc' });
  const rows: OdooRow[] = [];
  for (const page of chunks(ids, opts.pageSize ?? 1000)) rows.push(...(await client.call<OdooRow[]>('account.move', 'read', [page], { fields: FIELDS })));
  const accountIds = [...new Set(rows.map((r) => m2oId(r.partner_bank_id)).filter((x): x is number => x !== null))];
  const accounts = accountIds.length ? await client.call<OdooRow[]>('res.partner.bank', 'read', [accountIds], { fields: ['sanitized_acc_number', 'acc_number'], context: { active_test: false } }) : [];
  const iban = new Map(accounts.map((a) => [a.id, str(a.sanitized_acc_number) ?? str(a.acc_number)]));
  return rows
    .sort((a, b) => a.id - b.id)
    .map((r) => ({
      billId: r.id,
      name: String(r.name),
      supplierName: m2oName(r.commercial_partner_id),
      supplierIban: iban.get(m2oId(r.partner_bank_id) ?? -1) ?? null,
      currency: m2oName(r.currency_id) ?? '',
      amountTotal: num(r.amount_total),
      amountResidual: num(r.amount_residual),
      paymentState: String(r.payment_state),
      status: (str(r.x_stet_status) as BillStatus | null) ?? null,
      bankStatus: str(r.x_stet_bank_status),
      reason: str(r.x_stet_status_reason),
      endToEndId: str(r.x_stet_end_to_end_id),
      paymentInformationId: str(r.x_stet_payment_information_id),
      resourceId: str(r.x_stet_resource_id),
      consentUrl: str(r.x_stet_consent_url),
      requestedExecutionDate: str(r.x_stet_requested_execution_date),
      attempt: num(r.x_stet_attempt),
      updatedAt: str(r.x_stet_updated_at),
    }));
}
