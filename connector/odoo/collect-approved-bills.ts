/**
 * Reads the approved bills and everything the mapping needs, in a handful of
 * calls: the ordered ids (`search`), the distinct references (`read_group`),
 * the bank journals, the bank accounts and the partners, then one `read` per
 * 500 bills, each page handed out as soon as it is read. N bills cost
 * ceil(N/500) + 5 calls, and the caller's memory stays one page.
 */
import type { BillData, BillSnapshot, DebtorData, SupplierAccountData, SupplierData } from '../model/bill-snapshot.js';
import { approvedDomain, dueBy } from './approved-domain.js';
import { andDomains } from './combine-domains.js';
import type { OdooClient } from './odoo-client.js';
import { chunks, m2oId, m2oName, num, str, type OdooRow } from './odoo-values.js';
import { odooDialect, type OdooMajorVersion } from './odoo-dialect.js';

export interface CollectOptions {
  /** Odoo database name (part of the payment ids). */
  database: string;
  /** YYYY-MM-DD: with the due-date policy, bills due after it are not read at all (with a custom `domain` too). */
  horizon?: string;
  /** Replaces the default approved domain (approved-domain.ts); the horizon still applies. */
  domain?: unknown[];
  /** Bills per read call and per yielded page. @defaultValue 500 */
  pageSize?: number;
  /**
   * The paying account per company (payments.debtorAccounts): company id or name -> the bank
   * journal's code or its IBAN. A company not listed pays from its first bank journal.
   */
  debtorAccounts?: Readonly<Record<string, string>>;
  /** Told how many bills the search found, before the first page (a progress bar's total). */
  onCount?: (bills: number) => void;
}

export function billFields(version: OdooMajorVersion): string[] {
  return [
    'name', 'ref', 'payment_reference', 'move_type', 'state', 'payment_state', 'currency_id', 'amount_residual', 'amount_total',
    'invoice_date_due', 'invoice_date', 'company_id', 'partner_id', 'commercial_partner_id', 'partner_bank_id', 'x_stet_attempt', 'x_stet_closed_attempt', 'x_stet_status', 'x_stet_status_reason', 'x_stet_payment_information_id',
    odooDialect(version).reviewedField,
  ];
}

const PARTNER_FIELDS = ['name', 'country_code', 'city', 'street', 'zip', 'vat'];
const ACCOUNT_FIELDS = ['acc_number', 'acc_holder_name', 'bank_bic', 'partner_id', 'allow_out_payment', 'active'];

const REFERENCES = ['company_id', 'commercial_partner_id', 'partner_bank_id'];

export async function* collectApprovedBills(client: OdooClient, opts: CollectOptions): AsyncGenerator<BillSnapshot[]> {
  const pageSize = opts.pageSize ?? 500;
  // A custom domain says which bills are approved, not how far ahead the bank takes them.
  const domain = opts.domain ? andDomains(opts.domain, opts.horizon ? dueBy(opts.horizon) : []) : approvedDomain(client.version, opts.horizon);
  // 1. The ids in due-date order: a fixed list, so reserving bills while pages are handed out
  //    cannot make a page skip any. Kept as an Int32Array: 100k bills cost 400 KB.
  const ids = Int32Array.from(await client.call<number[]>('account.move', 'search', [domain], { order: 'invoice_date_due asc, id asc' }));
  opts.onCount?.(ids.length);
  if (ids.length === 0) return;
  // 2. What those bills refer to, as distinct (company, supplier, bank account) groups: a few
  //    hundred rows however many bills there are.
  const groups = await client.call<OdooRow[]>('account.move', 'read_group', [domain, REFERENCES, REFERENCES], { lazy: false });
  const companyIds = distinct(groups.map((g) => m2oId(g.company_id)));
  const supplierIds = distinct(groups.map((g) => m2oId(g.commercial_partner_id)));
  // 3. The paying side: each company's first bank journal (by sequence) and its account,
  //    whose holder is the company's partner (its name and country are the company's in Odoo).
  const journals = await client.call<OdooRow[]>('account.journal', 'search_read', [[['type', '=', 'bank'], ['company_id', 'in', companyIds], ['bank_account_id', '!=', false]]], {
    fields: ['company_id', 'bank_account_id', 'name', 'code'],
    order: 'sequence asc, id asc',
  });
  // 4. Bank accounts (suppliers' and the companies'), then 5. partners (suppliers and companies).
  const related = new RelatedRecords(client);
  await related.loadAccounts([...groups.map((g) => m2oId(g.partner_bank_id)), ...journals.map((j) => m2oId(j.bank_account_id))]);
  const { journalOf, notFound } = payingJournals(journals, opts.debtorAccounts ?? {}, (j) => related.account(m2oId(j.bank_account_id))?.accountNumber ?? '');
  const companyPartnerOf = new Map<number, number | null>();
  for (const [companyId, j] of journalOf) companyPartnerOf.set(companyId, related.account(m2oId(j.bank_account_id))?.partnerId ?? null);
  await related.loadPartners([...supplierIds, ...companyPartnerOf.values()]);

  const debtorOf = new Map<number, DebtorData | null>();
  for (const companyId of companyIds) {
    const j = journalOf.get(companyId);
    const acc = j ? related.account(m2oId(j.bank_account_id)) : undefined;
    const holder = related.partner(companyPartnerOf.get(companyId) ?? null);
    const name = holder?.name || m2oName(j?.company_id) || '';
    debtorOf.set(companyId, j && acc ? { companyId, name, countryCode: holder?.countryCode ?? null, iban: acc.accountNumber, bic: acc.bic, journalId: j.id } : null);
  }

  // 6. The bills themselves, one read per page, handed out as they come: the run holds one page.
  for (let i = 0; i < ids.length; i += pageSize) {
    const page = Array.from(ids.subarray(i, i + pageSize));
    const rows = await client.call<OdooRow[]>('account.move', 'read', [page], { fields: billFields(client.version) });
    const byId = new Map(rows.map((r) => [r.id, compactBill(r)]));
    // A bill edited since step 2 may name an account or supplier not read yet: read those (rare).
    await related.loadAccounts([...byId.values()].map((b) => b.partnerBankId));
    await related.loadPartners([...byId.values()].map((b) => b.bill.commercialPartnerId));
    const snapshots: BillSnapshot[] = [];
    for (const id of page) {
      const c = byId.get(id); // read returns rows in the order asked; keep the search's due-date order
      if (!c) continue;
      const known = related.partner(c.bill.commercialPartnerId);
      snapshots.push({
        database: opts.database,
        bill: c.bill,
        supplier: known ? (known.name ? known : { ...known, name: c.partnerName ?? '' }) : null,
        supplierAccount: related.account(c.partnerBankId),
        debtor: debtorOf.get(c.bill.companyId) ?? null,
        ...(notFound.has(c.bill.companyId) ? { debtorChoiceNotFound: notFound.get(c.bill.companyId) } : {}),
      });
    }
    yield snapshots;
  }
}

/**
 * Each company's paying journal: the one payments.debtorAccounts names for it
 * (by company id or name; by journal code or IBAN, spaces and case aside), else
 * its first bank journal by sequence. A choice no journal of the company
 * matches leaves the company without one, and says so.
 */
export function payingJournals(journals: readonly OdooRow[], choices: Readonly<Record<string, string>>, ibanOf: (j: OdooRow) => string): { journalOf: Map<number, OdooRow>; notFound: Map<number, string> } {
  const compact = (v: string) => v.replace(/\s+/g, '').toUpperCase();
  const journalOf = new Map<number, OdooRow>();
  const notFound = new Map<number, string>();
  const companies = new Map<number, string>();
  for (const j of journals) {
    const c = m2oId(j.company_id);
    if (c !== null && !companies.has(c)) companies.set(c, m2oName(j.company_id) ?? '');
  }
  for (const [companyId, name] of companies) {
    const own = journals.filter((j) => m2oId(j.company_id) === companyId);
    const choice = choices[String(companyId)] ?? choices[name];
    const chosen = choice === undefined ? own[0] : own.find((j) => compact(String(j.code ?? '')) === compact(choice) || compact(ibanOf(j)) === compact(choice));
    if (chosen) journalOf.set(companyId, chosen);
    else if (choice !== undefined) notFound.set(companyId, choice);
  }
  return { journalOf, notFound };
}

/** An approved bill the run leaves for later: due beyond the bank's window. */
export interface BillDueLater {
  id: number;
  name: string;
  dueDate: string;
  amountResidual: number;
  currency: string;
}

/**
 * The approved bills the run does not read because they are due after `horizon`
 * (the bank's window): how many, and the first `limit` by due date, so the run
 * summary can say when each becomes payable. Two calls, whatever the count.
 */
export async function readBillsDueLater(client: OdooClient, opts: { horizon: string; domain?: unknown[]; limit?: number }): Promise<{ count: number; bills: BillDueLater[] }> {
  const domain = andDomains(opts.domain ?? approvedDomain(client.version), [['invoice_date_due', '>', opts.horizon]]);
  const count = await client.call<number>('account.move', 'search_count', [domain]);
  if (count === 0) return { count, bills: [] };
  const rows = await client.call<OdooRow[]>('account.move', 'search_read', [domain], {
    fields: ['name', 'invoice_date_due', 'amount_residual', 'currency_id'],
    order: 'invoice_date_due asc, id asc',
    limit: opts.limit ?? 50,
  });
  return { count, bills: rows.map((r) => ({ id: r.id, name: String(r.name), dueDate: String(r.invoice_date_due), amountResidual: num(r.amount_residual), currency: m2oName(r.currency_id) ?? '' })) };
}

function distinct(ids: (number | null)[]): number[] {
  return [...new Set(ids.filter((x): x is number => x !== null))];
}

/** Partners and bank accounts read so far, one shared object each; reads only what is missing. */
class RelatedRecords {
  private readonly partners = new Map<number, SupplierData>();
  private readonly accounts = new Map<number, SupplierAccountData>();
  constructor(private readonly client: OdooClient) {}

  async loadPartners(ids: (number | null)[]): Promise<void> {
    const missing = distinct(ids).filter((id) => !this.partners.has(id));
    if (missing.length === 0) return;
    for (const p of await this.client.call<OdooRow[]>('res.partner', 'read', [missing], { fields: PARTNER_FIELDS })) this.partners.set(p.id, supplierData(p));
  }

  async loadAccounts(ids: (number | null)[]): Promise<void> {
    const missing = distinct(ids).filter((id) => !this.accounts.has(id));
    if (missing.length === 0) return;
    const rows = await this.client.call<OdooRow[]>('res.partner.bank', 'read', [missing], { fields: ACCOUNT_FIELDS, context: { active_test: false } });
    for (const a of rows) this.accounts.set(a.id, accountData(a));
  }

  partner(id: number | null): SupplierData | undefined {
    return id === null ? undefined : this.partners.get(id);
  }

  account(id: number | null): SupplierAccountData | null {
    return id === null ? null : (this.accounts.get(id) ?? null);
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
      closedAttempt: num(b.x_stet_closed_attempt),
      stetStatus: str(b.x_stet_status),
      stetReason: b.x_stet_status === 'held' ? own(str(b.x_stet_status_reason)) : null,
      paymentInformationId: str(b.x_stet_payment_information_id),
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
