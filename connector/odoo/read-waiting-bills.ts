/**
 * The bills whose payment waits for the signatory (or is about to): queued or
 * submitted, with what the signatory's page shows of each. One `search_read`,
 * whatever the number of bills: read on each page view and once per morning,
 * never on the bank's hot path.
 */
import type { BillStatus } from '../model/bill-status.js';
import type { OdooClient } from './odoo-client.js';
import { m2oName, num, str, type OdooRow } from './odoo-values.js';

/** One bill as the signatory's page reads it. */
export interface WaitingBill {
  billId: number;
  name: string;
  supplierName: string;
  status: BillStatus;
  paymentInformationId: string;
  endToEndId: string;
  attempt: number;
  /** Reserved amount (Odoo's float) and currency: what the request sends. */
  amount: number;
  currency: string;
  /** YYYY-MM-DD */
  executionDate: string | null;
  consentUrl: string | null;
  /** `YYYY-MM-DD HH:MM:SS` UTC */
  consentDeadline: string | null;
  /** A request of several transfers: their end-to-end ids in the order sent. */
  members: string[] | null;
  /** The payee check its payment was decided under (Verification of Payee: MTCH, CMTC, NMTC, NOAP), or null. */
  payeeResult: string | null;
  /** Who confirmed that payee check (a close match or a mismatch a person confirmed), or null. */
  payeeConfirmedBy: string | null;
}

const FIELDS = [
  'name', 'commercial_partner_id', 'x_stet_status', 'x_stet_payment_information_id', 'x_stet_end_to_end_id', 'x_stet_attempt',
  'x_stet_reserved_amount', 'x_stet_reserved_currency', 'x_stet_requested_execution_date', 'x_stet_consent_url', 'x_stet_consent_deadline',
  'x_stet_request_members', 'x_stet_vop_result', 'x_stet_vop_confirmed', 'x_stet_vop_confirmed_by',
];

export interface ReadWaitingOptions {
  /** Only the bills of these payments (one request's bills, when the page opens it). */
  paymentInformationIds?: string[];
  /** @defaultValue ['queued', 'submitted'] */
  statuses?: BillStatus[];
}

export async function readWaitingBills(client: OdooClient, opts: ReadWaitingOptions = {}): Promise<WaitingBill[]> {
  const domain: unknown[] = [['x_stet_status', 'in', opts.statuses ?? ['queued', 'submitted']], ['x_stet_payment_information_id', '!=', false]];
  if (opts.paymentInformationIds) domain.push(['x_stet_payment_information_id', 'in', opts.paymentInformationIds]);
  const rows = await client.call<OdooRow[]>('account.move', 'search_read', [domain], { fields: FIELDS, order: 'id asc' });
  return rows.map((r) => ({
    billId: r.id,
    name: String(r.name),
    supplierName: m2oName(r.commercial_partner_id) ?? '',
    status: String(r.x_stet_status) as BillStatus,
    paymentInformationId: String(r.x_stet_payment_information_id),
    endToEndId: str(r.x_stet_end_to_end_id) ?? '',
    attempt: num(r.x_stet_attempt),
    amount: num(r.x_stet_reserved_amount),
    currency: str(r.x_stet_reserved_currency) ?? 'EUR',
    executionDate: str(r.x_stet_requested_execution_date),
    consentUrl: str(r.x_stet_consent_url),
    consentDeadline: str(r.x_stet_consent_deadline),
    members: str(r.x_stet_request_members)?.split(',').map((m) => m.trim()).filter(Boolean) ?? null,
    payeeResult: str(r.x_stet_vop_result),
    payeeConfirmedBy: r.x_stet_vop_confirmed === true ? m2oName(r.x_stet_vop_confirmed_by) : null,
  }));
}
