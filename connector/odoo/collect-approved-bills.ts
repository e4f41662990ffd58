/**
 * Reads the approved bills and everything the mapping needs, in a handful of
 * calls: one `search` for the ids (a fixed list, so reserving bills while pages
 * are handed out cannot make a page skip any), one `read` per 500 bills, then one
 * batched read each of bank journals, companies, partners and bank accounts.
 * N bills cost ceil(N/500) + 5 calls.
 */
import type { BillSnapshot, DebtorData, SupplierAccountData, SupplierData } from '../model/bill-snapshot.js';
import { approvedDomain } from './approved-domain.js';
import type { OdooClient } from './odoo-client.js';
import { chunks, m2oId, m2oName, num, str, type OdooRow } from './odoo-values.js';

export interface CollectOptions {
  /** Odoo database name (part of the payment ids). */
  database: string;
  /** YYYY-MM-DD: with the due-date policy, bills due after it are not read at all. */
  horizon?: string;
  /** Replaces the default approved domain (DESIGN.md) entirely. */
  domain?: unknown[];
  /** Bills per read call and per yielded page. @defaultValue 500 */
  pageSize?: number;
}

export function billFields(version: number): string[] {
  return [
    'name', 'ref', 'payment_reference', 'move_type', 'state', 'payment_state', 'currency_id', 'amount_residual', 'amount_total',
    'invoice_date_due', 'invoice_date', 'company_id', 'partner_id', 'commercial_partner_id', 'partner_bank_id', 'x_stet_attempt',
    version >= 18 ? 'checked' : 'to_check',
  ];
}

const PARTNER_FIELDS = ['name', 'country_code', 'city', 'street', 'zip', 'vat'];
const ACCOUNT_FIELDS = ['acc_number', 'acc_holder_name', 'bank_bic', 'partner_id', 'allow_out_payment', 'active'];

export async function* collectApprovedBills(client: OdooClient, opts: CollectOptions): AsyncGenerator<BillSnapshot[]> {
  const pageSize = opts.pageSize ?? 500;
  const domain = opts.domain ?? approvedDomain(client.version, opts.horizon);
  const ids = await client.call<number[]>('account.move', 'search', [domain], { order: 'invoice_date_due asc, id asc' });
  if (ids.length === 0) return;

  const bills: OdooRow[] = [];
  for (const page of chunks(ids, pageSize)) {
    const rows = await client.call<OdooRow[]>('account.move', 'read', [page], { fields: billFields(client.version) });
    // read returns the rows in the order asked; keep the due-date order of the search
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of page) {
      const r = byId.get(id);
      if (r) bills.push(r);
    }
  }

  const companyIds = [...new Set(bills.map((b) => m2oId(b.company_id)).filter((x): x is number => x !== null))];
  const partnerIds = [...new Set(bills.map((b) => m2oId(b.commercial_partner_id)).filter((x): x is number => x !== null))];
  const [journals, partners] = await Promise.all([
    client.call<OdooRow[]>('account.journal', 'search_read', [[['type', '=', 'bank'], ['company_id', 'in', companyIds], ['bank_account_id', '!=', false]]], {
      fields: ['company_id', 'bank_account_id', 'name'],
      order: 'sequence asc, id asc',
    }),
    partnerIds.length ? client.call<OdooRow[]>('res.partner', 'read', [partnerIds], { fields: PARTNER_FIELDS }) : Promise.resolve([]),
  ]);
  // the first bank journal (by sequence) of each company pays
  const journalOf = new Map<number, OdooRow>();
  for (const j of journals) {
    const c = m2oId(j.company_id);
    if (c !== null && !journalOf.has(c)) journalOf.set(c, j);
  }
  const accountIds = [
    ...new Set([...bills.map((b) => m2oId(b.partner_bank_id)), ...[...journalOf.values()].map((j) => m2oId(j.bank_account_id))].filter((x): x is number => x !== null)),
  ];
  const [accounts, companies] = await Promise.all([
    accountIds.length ? client.call<OdooRow[]>('res.partner.bank', 'read', [accountIds], { fields: ACCOUNT_FIELDS, context: { active_test: false } }) : Promise.resolve([]),
    companyIds.length ? client.call<OdooRow[]>('res.company', 'read', [companyIds], { fields: ['name', 'country_code'] }) : Promise.resolve([]),
  ]);

  const partnerById = new Map(partners.map((p) => [p.id, p]));
  const accountById = new Map(accounts.map((a) => [a.id, a]));
  const companyById = new Map(companies.map((c) => [c.id, c]));
  const debtorOf = new Map<number, DebtorData | null>();
  for (const companyId of companyIds) {
    const j = journalOf.get(companyId);
    const acc = j ? accountById.get(m2oId(j.bank_account_id) ?? -1) : undefined;
    const company = companyById.get(companyId);
    debtorOf.set(
      companyId,
      j && acc && company
        ? { companyId, name: String(company.name), countryCode: str(company.country_code), iban: String(acc.acc_number), bic: str(acc.bank_bic), journalId: j.id }
        : null,
    );
  }

  const snapshots = bills.map((b): BillSnapshot => {
    const supplierId = m2oId(b.commercial_partner_id);
    const p = supplierId !== null ? partnerById.get(supplierId) : undefined;
    const supplier: SupplierData | null = p
      ? { id: p.id, name: String(p.name || m2oName(b.commercial_partner_id) || ''), countryCode: str(p.country_code), city: str(p.city), street: str(p.street), zip: str(p.zip), vat: str(p.vat) }
      : null;
    const a = accountById.get(m2oId(b.partner_bank_id) ?? -1);
    const supplierAccount: SupplierAccountData | null = a
      ? {
          id: a.id,
          accountNumber: String(a.acc_number),
          holderName: str(a.acc_holder_name),
          bic: str(a.bank_bic),
          partnerId: m2oId(a.partner_id),
          trusted: typeof a.allow_out_payment === 'boolean' ? a.allow_out_payment : null,
          active: a.active !== false,
        }
      : null;
    const companyId = m2oId(b.company_id) ?? 0;
    return {
      database: opts.database,
      bill: {
        id: b.id,
        name: String(b.name),
        ref: str(b.ref),
        paymentReference: str(b.payment_reference),
        moveType: String(b.move_type),
        state: String(b.state),
        paymentState: String(b.payment_state),
        currency: m2oName(b.currency_id) ?? '',
        amountResidual: num(b.amount_residual),
        amountTotal: num(b.amount_total),
        dueDate: str(b.invoice_date_due),
        invoiceDate: str(b.invoice_date),
        companyId,
        commercialPartnerId: supplierId,
        attempt: num(b.x_stet_attempt),
      },
      supplier,
      supplierAccount,
      debtor: debtorOf.get(companyId) ?? null,
    };
  });
  for (const page of chunks(snapshots, pageSize)) yield page;
}
