/**
 * Reserved bills read back, what was reserved beside what the bill is now:
 * one `search_read` on account.move and one `read` on res.partner.bank per
 * 1,000 bills, whatever the number of bills. A bill deleted since is absent.
 */
import type { BillStatus } from '../model/bill-status.js';
import type { ReservedBill, ReservedBillAccount } from '../model/reserved-bill.js';
import { normalizeIban } from '../rules/iban.js';
import type { OdooClient } from './odoo-client.js';
import { chunks, m2oId, m2oName, num, str, type OdooRow } from './odoo-values.js';
import { isReviewed, odooDialect, type OdooMajorVersion } from './odoo-dialect.js';

export interface ReadReservedOptions {
  /** Also read `x_stet_request` (about 1 KB a bill). @defaultValue false */
  withRequest?: boolean;
  /** Bills per call. @defaultValue 1000 */
  pageSize?: number;
}

function fields(version: OdooMajorVersion, withRequest: boolean): string[] {
  return [
    'name', 'move_type', 'state', 'payment_state', 'currency_id', 'amount_residual', 'commercial_partner_id', 'partner_bank_id',
    odooDialect(version).reviewedField,
    'x_stet_approved', 'x_stet_status', 'x_stet_payment_information_id', 'x_stet_end_to_end_id', 'x_stet_resource_id', 'x_stet_attempt',
    'x_stet_closed_attempt', 'x_stet_requested_execution_date', 'x_stet_request_digest', 'x_stet_reserved_iban', 'x_stet_reserved_amount',
    'x_stet_reserved_currency', 'x_stet_request_members', ...(withRequest ? ['x_stet_request'] : []),
  ];
}

const ACCOUNT_FIELDS = ['acc_number', 'partner_id', 'allow_out_payment', 'active'];

export async function readReservedBills(client: OdooClient, billIds: number[], opts: ReadReservedOptions = {}): Promise<ReservedBill[]> {
  const out: ReservedBill[] = [];
  for (const chunk of chunks([...new Set(billIds)], opts.pageSize ?? 1000)) {
    const rows = await client.call<OdooRow[]>('account.move', 'search_read', [[['id', 'in', chunk]]], { fields: fields(client.version, opts.withRequest === true) });
    const accountIds = [...new Set(rows.map((r) => m2oId(r.partner_bank_id)).filter((x): x is number => x !== null))];
    const accounts = accountIds.length
      ? await client.call<OdooRow[]>('res.partner.bank', 'read', [accountIds], { fields: ACCOUNT_FIELDS, context: { active_test: false } })
      : [];
    const byId = new Map(accounts.map((a) => [a.id, accountOf(a)]));
    for (const r of rows) out.push(billOf(r, client.version, byId.get(m2oId(r.partner_bank_id) ?? -1) ?? null));
  }
  return out.sort((a, b) => a.billId - b.billId);
}

function accountOf(a: OdooRow): ReservedBillAccount {
  return {
    id: a.id,
    iban: normalizeIban(str(a.acc_number)), // as the mapping put it in the request
    partnerId: m2oId(a.partner_id),
    trusted: typeof a.allow_out_payment === 'boolean' ? a.allow_out_payment : null,
    active: a.active !== false,
  };
}

function billOf(r: OdooRow, version: OdooMajorVersion, account: ReservedBillAccount | null): ReservedBill {
  const amount = r.x_stet_reserved_amount;
  return {
    billId: r.id,
    name: String(r.name),
    moveType: String(r.move_type),
    state: String(r.state),
    paymentState: String(r.payment_state),
    approved: r.x_stet_approved === true,
    reviewed: isReviewed(odooDialect(version), r),
    status: (str(r.x_stet_status) as BillStatus | null) ?? null,
    paymentInformationId: str(r.x_stet_payment_information_id),
    endToEndId: str(r.x_stet_end_to_end_id),
    resourceId: str(r.x_stet_resource_id),
    attempt: num(r.x_stet_attempt),
    closedAttempt: num(r.x_stet_closed_attempt),
    requestedExecutionDate: str(r.x_stet_requested_execution_date),
    members: str(r.x_stet_request_members)?.split(',').map((m) => m.trim()).filter(Boolean) ?? null,
    request: str(r.x_stet_request),
    requestDigest: str(r.x_stet_request_digest),
    reservedIban: str(r.x_stet_reserved_iban),
    // an unset float reads 0.0: no reservation recorded has no currency either
    reservedAmount: typeof amount === 'number' && str(r.x_stet_reserved_currency) ? amount : null,
    reservedCurrency: str(r.x_stet_reserved_currency),
    currency: m2oName(r.currency_id) ?? '',
    amountResidual: num(r.amount_residual),
    commercialPartnerId: m2oId(r.commercial_partner_id),
    account,
  };
}
