/**
 * The bills whose payment waits for the signatory (or is about to): queued or
 * submitted, with what the signatory's page shows of each. Two `search_read`s
 * (the bills, then who approved them), whatever the number of bills: read on
 * each page view and once per morning, never on the bank's hot path.
 */
import type { BillStatus } from '../model/bill-status.js';
import type { OdooClient } from './odoo-client.js';
import { APPROVAL_MODEL } from './approval-field-definitions.js';
import { isOdooError, OdooAccessError } from './errors.js';
import { m2oId, m2oName, num, str, type OdooRow } from './odoo-values.js';
import { readGroupMembers } from './read-approvals.js';
import { normalizeIban } from '../rules/iban.js';
import { toCents } from '../rules/money.js';

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
  /** Who approved what is paid (approvers' group members' approvals of the reserved amount, currency and IBAN), e.g. `Alice Martin, Bruno Lefèvre`, or null. */
  approvers: string | null;
}

const FIELDS = [
  'name', 'commercial_partner_id', 'x_stet_status', 'x_stet_payment_information_id', 'x_stet_end_to_end_id', 'x_stet_attempt',
  'x_stet_reserved_amount', 'x_stet_reserved_currency', 'x_stet_requested_execution_date', 'x_stet_consent_url', 'x_stet_consent_deadline',
  'x_stet_request_members', 'x_stet_reserved_iban', 'x_stet_vop_result', 'x_stet_vop_confirmed', 'x_stet_vop_confirmed_by',
];

export interface ReadWaitingOptions {
  /** Only the bills of these payments (one request's bills, when the page opens it). */
  paymentInformationIds?: string[];
  /** @defaultValue ['queued', 'submitted'] */
  statuses?: BillStatus[];
  /** The approvers' group (config approvals.approversGroup): only its members' approvals are shown. @defaultValue account.group_account_manager */
  approversGroup?: string;
}

export async function readWaitingBills(client: OdooClient, opts: ReadWaitingOptions = {}): Promise<WaitingBill[]> {
  const domain: unknown[] = [['x_stet_status', 'in', opts.statuses ?? ['queued', 'submitted']], ['x_stet_payment_information_id', '!=', false]];
  if (opts.paymentInformationIds) domain.push(['x_stet_payment_information_id', 'in', opts.paymentInformationIds]);
  const rows = await client.call<OdooRow[]>('account.move', 'search_read', [domain], { fields: FIELDS, order: 'id asc' });
  const approvers = rows.length ? await readApproverNames(client, rows, opts.approversGroup ?? 'account.group_account_manager') : new Map<number, string>();
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
    approvers: approvers.get(r.id) ?? null,
  }));
}

/**
 * Bill id -> the names of the approvers whose approvals count for what is paid,
 * oldest approval first: made by a member of the approvers' group, for the
 * reserved amount, currency and IBAN. A record a non-approver made over RPC, or
 * one for other values, is not listed (nor does it hide one that counts). None
 * when the approvals are not installed (the page shows the rest; doctor says
 * to run install).
 */
async function readApproverNames(client: OdooClient, reserved: readonly OdooRow[], approversGroup: string): Promise<Map<number, string>> {
  let rows: OdooRow[];
  try {
    rows = await client.call<OdooRow[]>(APPROVAL_MODEL, 'search_read', [[['x_move_id', 'in', reserved.map((r) => r.id)]]], { fields: ['x_move_id', 'x_amount', 'x_iban', 'x_currency', 'create_uid'], order: 'id asc' });
  } catch (e) {
    if (isOdooError(e) && !(e instanceof OdooAccessError)) return new Map();
    throw e;
  }
  const approvers = await readGroupMembers(client, approversGroup);
  const bills = new Map(reserved.map((r) => [r.id, r]));
  const out = new Map<number, string[]>();
  for (const a of rows) {
    const bill = bills.get(m2oId(a.x_move_id) ?? 0);
    const by = m2oId(a.create_uid);
    if (!bill || by === null || !approvers.has(by)) continue;
    const paid = toCents(num(a.x_amount)) === toCents(num(bill.x_stet_reserved_amount)) && a.x_currency === (str(bill.x_stet_reserved_currency) ?? 'EUR') && normalizeIban(str(a.x_iban)) === normalizeIban(str(bill.x_stet_reserved_iban));
    if (paid) out.set(bill.id, [...new Set([...(out.get(bill.id) ?? []), m2oName(a.create_uid) ?? `user ${by}`])]);
  }
  return new Map([...out].map(([id, names]) => [id, names.join(', ')]));
}
