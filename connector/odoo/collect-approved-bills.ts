/**
 * Reads the approved bills and everything the mapping needs, in a handful of
 * calls: one `search_read` for the ordered ids and what each bill refers to,
 * one batched read each of bank journals, partners, bank accounts and
 * companies, then one `read` per 500 bills, each page handed out as soon as it
 * is read. N bills cost ceil(N/500) + 5 calls, and memory stays one page.
 */
import type { BillData, BillSnapshot, DebtorData, SupplierAccountData, SupplierData } from '../model/bill-snapshot.js';
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
  // 1. The bills in due-date order with only what they refer to (bare ids: `load` other than
  //    '_classic_read'), kept as plain numbers: a fixed list, so reserving bills while pages are
  //    handed out cannot make a page skip any, and 100k bills cost a few MB, not the bills themselves.
  const refs = await client.call<OdooRow[]>('account.move', 'search_read', [domain], {
    fields: ['company_id', 'commercial_partner_id', 'partner_bank_id'],
    order: 'invoice_date_due asc, id asc',
    load: '',
  });
  if (refs.length === 0) return;
  const ids = Int32Array.from(refs, (r) => r.id);
  const companyIds = [...new Set(refs.map((r) => m2oId(r.company_id)).filter((x): x is number => x !== null))];
  const partnerIds = [...new Set(refs.map((r) => m2oId(r.commercial_partner_id)).filter((x): x is number => x !== null))];
  const billAccountIds = new Set(refs.map((r) => m2oId(r.partner_bank_id)).filter((x): x is number => x !== null));

  // 2. What the bills refer to, once for all bills.
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
  const accountIds = [...new Set([...billAccountIds, ...[...journalOf.values()].map((j) => m2oId(j.bank_account_id)).filter((x): x is number => x !== null)])];
  const [accounts, companies] = await Promise.all([
    accountIds.length ? client.call<OdooRow[]>('res.partner.bank', 'read', [accountIds], { fields: ACCOUNT_FIELDS, context: { active_test: false } }) : Promise.resolve([]),
    companyIds.length ? client.call<OdooRow[]>('res.company', 'read', [companyIds], { fields: ['name', 'country_code'] }) : Promise.resolve([]),
  ]);

  // One object per partner, account and company, shared by every bill that names it.
  const supplierById = new Map(partners.map((p) => [p.id, supplierData(p)]));
  const accountRowById = new Map(accounts.map((a) => [a.id, a]));
  const accountById = new Map(accounts.map((a) => [a.id, accountData(a)]));
  const companyById = new Map(companies.map((c) => [c.id, c]));
  const debtorOf = new Map<number, DebtorData | null>();
  for (const companyId of companyIds) {
    const j = journalOf.get(companyId);
    const acc = j ? accountRowById.get(m2oId(j.bank_account_id) ?? -1) : undefined;
    const company = companyById.get(companyId);
    debtorOf.set(
      companyId,
      j && acc && company
        ? { companyId, name: String(company.name), countryCode: str(company.country_code), iban: String(acc.acc_number), bic: str(acc.bank_bic), journalId: j.id }
        : null,
    );
  }

  // 3. The bills themselves, one read per page, handed out as they come: the run's memory is one page.
  for (let i = 0; i < ids.length; i += pageSize) {
    const page = Array.from(ids.subarray(i, i + pageSize));
    const rows = await client.call<OdooRow[]>('account.move', 'read', [page], { fields: billFields(client.version) });
    // read returns the rows in the order asked; keep the due-date order of the search
    const byId = new Map(rows.map((r) => [r.id, r]));
    const snapshots: BillSnapshot[] = [];
    for (const id of page) {
      const r = byId.get(id);
      if (!r) continue;
      const { bill, partnerBankId, partnerName } = compactBill(r);
      const known = bill.commercialPartnerId !== null ? supplierById.get(bill.commercialPartnerId) : undefined;
      snapshots.push({
        database: opts.database,
        bill,
        supplier: known ? (known.name ? known : { ...known, name: partnerName ?? '' }) : null,
        supplierAccount: partnerBankId !== null ? (accountById.get(partnerBankId) ?? null) : null,
        debtor: debtorOf.get(bill.companyId) ?? null,
      });
    }
    yield snapshots;
  }
}

/** A bill as kept between the reads: its data and the ids of what it refers to. */
interface CollectedBill {
  bill: BillData;
  partnerBankId: number | null;
  /** The commercial partner's display name, in case its record has no name. */
  partnerName: string | null;
}

/**
 * A copy of a string that does not share memory with the XML-RPC answer it was
 * parsed from: V8 keeps a whole answer alive for any slice of it, which made
 * 100k collected bills hold every page's XML (about 4 KB a bill).
 */
function own(s: string): string;
function own(s: string | null): string | null;
function own(s: string | null): string | null {
  return s === null ? null : Buffer.from(s, 'utf8').toString('utf8');
}

function compactBill(b: OdooRow): CollectedBill {
  return {
    bill: {
      id: b.id,
      name: own(String(b.name)),
      ref: own(str(b.ref)),
      paymentReference: own(str(b.payment_reference)),
      moveType: own(String(b.move_type)),
      state: own(String(b.state)),
      paymentState: own(String(b.payment_state)),
      currency: own(m2oName(b.currency_id) ?? ''),
      amountResidual: num(b.amount_residual),
      amountTotal: num(b.amount_total),
      dueDate: own(str(b.invoice_date_due)),
      invoiceDate: own(str(b.invoice_date)),
      companyId: m2oId(b.company_id) ?? 0,
      commercialPartnerId: m2oId(b.commercial_partner_id),
      attempt: num(b.x_stet_attempt),
    },
    partnerBankId: m2oId(b.partner_bank_id),
    partnerName: own(m2oName(b.commercial_partner_id)),
  };
}

function supplierData(p: OdooRow): SupplierData {
  return { id: p.id, name: String(p.name || ''), countryCode: str(p.country_code), city: str(p.city), street: str(p.street), zip: str(p.zip), vat: str(p.vat) };
}

function accountData(a: OdooRow): SupplierAccountData {
  return {
    id: a.id,
    accountNumber: String(a.acc_number),
    holderName: str(a.acc_holder_name),
    bic: str(a.bank_bic),
    partnerId: m2oId(a.partner_id),
    trusted: typeof a.allow_out_payment === 'boolean' ? a.allow_out_payment : null,
    active: a.active !== false,
  };
}
