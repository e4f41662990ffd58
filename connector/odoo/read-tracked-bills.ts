/**
 * Bills stetpay already took in hand, read back in batches (sync, sweeper,
 * cancel, report, consent callback, each drain with conditional items).
 * Known ids cost one `search_read` per 1,000; otherwise a `search` then one
 * `read` per 1,000. Supplier IBANs (one more call) and payee checks only when asked for.
 */
import type { BillStatus } from '../model/bill-status.js';
import type { TrackedBill } from '../model/tracked-bill.js';
import type { OdooClient } from './odoo-client.js';
import { chunks, m2oId, m2oName, num, str, type OdooRow } from './odoo-values.js';

export interface ReadTrackedOptions {
  /** Only these statuses. @defaultValue every bill with a status */
  statuses?: BillStatus[];
  /** Only these bills (whatever their status). */
  billIds?: number[];
  /** Only the bills of these payments (every bill of a request of several transfers). */
  paymentInformationIds?: string[];
  /** YYYY-MM-DD or `YYYY-MM-DD HH:MM:SS` UTC: only bills updated since then. */
  since?: string;
  /** Bills per read call. @defaultValue 1000 */
  pageSize?: number;
  /** Only bills whose id is above this one (with `limit`: the next page of a caller that holds one page at a time). */
  afterId?: number;
  /** At most this many bills, the lowest ids first. @defaultValue all */
  limit?: number;
  /** Also read each bill's supplier IBAN (`res.partner.bank`, one more call) and payee check (its Verification of Payee result). @defaultValue false: `supplierIban` and `payeeCheck` are null */
  withIban?: boolean;
}

const FIELDS = [
  'name', 'commercial_partner_id', 'partner_bank_id', 'currency_id', 'amount_total', 'amount_residual', 'payment_state',
  'x_stet_status', 'x_stet_bank_status', 'x_stet_status_reason', 'x_stet_end_to_end_id', 'x_stet_payment_information_id',
  'x_stet_resource_id', 'x_stet_consent_url', 'x_stet_requested_execution_date', 'x_stet_attempt', 'x_stet_closed_attempt', 'x_stet_updated_at',
  'x_stet_consent_deadline',
];

export async function readTrackedBills(client: OdooClient, opts: ReadTrackedOptions = {}): Promise<TrackedBill[]> {
  const pageSize = opts.pageSize ?? 1000;
  const clauses: unknown[] = [];
  if (opts.statuses) clauses.push(['x_stet_status', 'in', opts.statuses]);
  if (opts.paymentInformationIds) clauses.push(['x_stet_payment_information_id', 'in', opts.paymentInformationIds]);
  if (!opts.billIds && !opts.statuses) clauses.push(['x_stet_status', '!=', false]);
  if (opts.since) clauses.push(['x_stet_updated_at', '>=', opts.since.length === 10 ? `${opts.since} 00:00:00` : opts.since]);
  if (opts.afterId !== undefined) clauses.push(['id', '>', opts.afterId]);
  const rows: OdooRow[] = [];
  const fields = opts.withIban ? [...FIELDS, ...PAYEE_FIELDS] : FIELDS;
  if (opts.billIds) {
    // The ids are known: search and read in one call per chunk (a bill deleted meanwhile is simply absent).
    for (const chunk of chunks([...new Set(opts.billIds)], pageSize)) {
      rows.push(...(await client.call<OdooRow[]>('account.move', 'search_read', [[['id', 'in', chunk], ...clauses]], { fields, order: 'id asc' })));
    }
  } else {
    // Any number of bills: the ids first, then one page at a time.
    const ids = await client.call<number[]>('account.move', 'search', [clauses], { order: 'id asc', ...(opts.limit ? { limit: opts.limit } : {}) });
    for (const page of chunks(ids, pageSize)) rows.push(...(await client.call<OdooRow[]>('account.move', 'read', [page], { fields })));
  }
  const iban = opts.withIban ? await supplierIbans(client, rows) : new Map<number, string | null>();
  return rows
    .sort((a, b) => a.id - b.id)
    .map((r) => ({
      billId: r.id,
      name: String(r.name),
      supplierName: m2oName(r.commercial_partner_id),
      supplierIban: iban.get(m2oId(r.partner_bank_id) ?? -1) ?? null,
      payeeCheck: opts.withIban ? payeeCheck(r) : null,
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
      closedAttempt: num(r.x_stet_closed_attempt),
      updatedAt: str(r.x_stet_updated_at),
      consentDeadline: str(r.x_stet_consent_deadline),
    }));
}

/** The IBAN of each bill's recipient account, by account id (archived accounts too). */
async function supplierIbans(client: OdooClient, rows: OdooRow[]): Promise<Map<number, string | null>> {
  const accountIds = [...new Set(rows.map((r) => m2oId(r.partner_bank_id)).filter((x): x is number => x !== null))];
  if (accountIds.length === 0) return new Map();
  const accounts = await client.call<OdooRow[]>('res.partner.bank', 'read', [accountIds], { fields: ['sanitized_acc_number', 'acc_number'], context: { active_test: false } });
  return new Map(accounts.map((a) => [a.id, str(a.sanitized_acc_number) ?? str(a.acc_number)]));
}

/** The bill's Verification of Payee fields the report shows (related to its payee check). */
const PAYEE_FIELDS = ['x_stet_vop_result', 'x_stet_vop_confirmed', 'x_stet_vop_confirmed_by'];

/** The payee check its payment was decided under (`MTCH`, `CMTC, confirmed by NAME`...), or null. */
function payeeCheck(r: OdooRow): string | null {
  const result = str(r.x_stet_vop_result);
  // the check's last writer: the person who confirmed it, once confirmed
  const by = r.x_stet_vop_confirmed === true ? m2oName(r.x_stet_vop_confirmed_by) : null;
  return result && by && result !== 'MTCH' ? `${result}, confirmed by ${by}` : result;
}
