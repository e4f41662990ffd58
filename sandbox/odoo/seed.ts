/**
 * Deterministic demo data: a French SAS with its bank journal, realistic French
 * and European suppliers, and N posted vendor bills, most payable, some with the
 * problems a clerk meets. The approval (`x_stet_approved`) is kept on each bill
 * in the store and appears once `stetpay install` creates the field.
 */
import { breakCheckDigits, makeIban, spaced } from './iban.js';
import { groupDefinitions, groupFullName } from './access.js';
import type { OdooStore } from './store.js';
import { seededRandom } from '../seeded-random.js';

export interface SeedOptions {
  /** Number of vendor bills. */
  invoices: number;
  /** PRNG seed: same seed, same data. @defaultValue 1 */
  seed?: number;
  /** YYYY-MM-DD the due dates are spread around. @defaultValue today in Europe/Paris */
  today?: string;
  /** Seed a few bills whose approvals do not count (the demo's cases: see `approvalProblems`). @defaultValue false */
  approvalCases?: boolean;
}

export interface SeedInfo {
  /** Valid supplier IBANs (no spaces): what a demo registers as beneficiaries at the bank. */
  registeredIbans: string[];
  /** The company's account at the bank (the debtor). */
  debtorIban: string;
  debtorBic: string;
  /** Bill id -> what is wrong with it (bills not listed are plain payable ones). */
  problems: Record<number, string>;
  /** Ids of every seeded bill, in creation order. */
  billIds: number[];
  companyId: number;
  bankJournalId: number;
  /**
   * Every supplier account's IBAN (electronic format) and the name the
   * supplier's bank holds for it, as a bank writes it (case, accents, legal
   * form vary): the Verification of Payee sandbox's directory. Two accounts
   * differ on purpose, each paid by at least one plain payable bill: see `payeeProblems`.
   */
  payees: { iban: string; name: string }[];
  /** The two approvers (Billing Administrators): Alice Martin (`approver`) and Bruno Lefèvre (`approver2`). */
  approvers: { id: number; login: string; name: string }[];
  /** With `approvalCases`: bill id -> the approval rule its bill breaks on purpose (APPROVAL_MISSING, APPROVED_BY_AUTHOR...). */
  approvalProblems: Record<number, string>;
  /** The accounts whose bank holds another name on purpose: a close match and a mismatch (with VoP on, their bills are held). */
  payeeProblems: { accountId: number; iban: string; kind: 'close_match' | 'no_match'; heldName: string }[];
}

export type SeedProblem =
  | 'no_bank_account' | 'wrong_iban' | 'untrusted_account' | 'usd' | 'paid' | 'partial' | 'due_in_60_days'
  | 'refund' | 'blocked' | 'to_check' | 'foreign_account' | 'not_approved';

const BANKS: Record<string, { code: string; name: string; bic: string }[]> = {
  FR: [
    { code: '30004', name: 'BNP Paribas', bic: 'BNPAFRPPXXX' },
    { code: '30003', name: 'Société Générale', bic: 'SOGEFRPPXXX' },
    { code: '30002', name: 'LCL - Le Crédit Lyonnais', bic: 'CRLYFRPPXXX' },
    { code: '10278', name: 'Crédit Mutuel', bic: 'CMCIFR2AXXX' },
  ],
  DE: [
    { code: '37040044', name: 'Commerzbank', bic: 'COBADEFFXXX' },
    { code: '50070010', name: 'Deutsche Bank', bic: 'DEUTDEFFXXX' },
  ],
  ES: [
    { code: '2100', name: 'CaixaBank', bic: 'CAIXESBBXXX' },
    { code: '0049', name: 'Banco Santander', bic: 'BSCHESMMXXX' },
  ],
  IT: [
    { code: '02008', name: 'UniCredit', bic: 'UNCRITMMXXX' },
    { code: '03069', name: 'Intesa Sanpaolo', bic: 'BCITITMMXXX' },
  ],
  BE: [{ code: '001', name: 'BNP Paribas Fortis', bic: 'GEBABEBBXXX' }, { code: '734', name: 'KBC Bank', bic: 'KREDBEBBXXX' }],
  NL: [{ code: 'INGB', name: 'ING Bank', bic: 'INGBNL2AXXX' }, { code: 'RABO', name: 'Rabobank', bic: 'RABONL2UXXX' }],
};

const SUPPLIERS: [name: string, country: string, city: string, zip: string, street: string][] = [
  ['Boulangerie Pâtisserie Lefèvre & Fils', 'FR', 'Lyon', '69002', '12 rue de la République'],
  ['Société Nouvelle des Établissements Gérard Dépannage Électrique', 'FR', 'Marseille', '13001', '4 quai du Port'],
  ['Imprimerie Côte d’Azur SARL', 'FR', 'Nice', '06000', '27 avenue Jean Médecin'],
  ['Transports Routiers Frères Bénard', 'FR', 'Lille', '59000', '8 rue Faidherbe'],
  ['Cabinet d’Expertise Comptable Dufresne-Roussel', 'FR', 'Bordeaux', '33000', '3 cours de l’Intendance'],
  ['Menuiserie Ébénisterie Thévenin', 'FR', 'Nantes', '44000', '15 rue Crébillon'],
  ['Fournitures de Bureau Île-de-France', 'FR', 'Paris', '75011', '101 boulevard Voltaire'],
  ['Agence Créative Ça Marche', 'FR', 'Toulouse', '31000', '2 place du Capitole'],
  ['Nettoyage Industriel Provençal', 'FR', 'Aix-en-Provence', '13100', '9 cours Mirabeau'],
  ['Électricité Générale Hébert', 'FR', 'Strasbourg', '67000', '5 place Kléber'],
  ['Müller & Söhne Maschinenbau GmbH', 'DE', 'München', '80331', 'Maximilianstraße 12'],
  ['Bäckerei Groß Großhandel GmbH', 'DE', 'Köln', '50667', 'Hohe Straße 44'],
  ['Schäfer Logistik und Spedition AG', 'DE', 'Hamburg', '20095', 'Mönckebergstraße 7'],
  ['Distribuciones Peñalver Núñez S.L.', 'ES', 'Sevilla', '41001', 'Calle Sierpes 18'],
  ['Construcciones Ibáñez y Muñoz S.A.', 'ES', 'Madrid', '28013', 'Gran Vía 32'],
  ['Cantina Sociale Vitivinicola dell’Oltrepò', 'IT', 'Pavia', '27100', 'Corso Cavour 5'],
  ['Tessitura Lanificio Gioffrè S.p.A.', 'IT', 'Biella', '13900', 'Via Italia 21'],
  ['Brasserie Van den Bossche NV', 'BE', 'Gent', '9000', 'Korenmarkt 3'],
  ['Chocolaterie Lefèbvre-Dubois SPRL', 'BE', 'Bruxelles', '1000', 'Rue Neuve 66'],
  ['Van der Meer Bloemen en Planten B.V.', 'NL', 'Aalsmeer', '1431', 'Legmeerdijk 313'],
  ['Koninklijke Drukkerij Smit-IJsselstein B.V.', 'NL', 'Utrecht', '3511', 'Oudegracht 99'],
  ['Atelier de Reliure Ménard', 'FR', 'Rennes', '35000', '6 rue Le Bastard'],
];

const COUNTRIES: [string, string][] = [['FR', 'France'], ['DE', 'Germany'], ['ES', 'Spain'], ['IT', 'Italy'], ['BE', 'Belgium'], ['NL', 'Netherlands'], ['US', 'United States']];

function parisToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

function addDays(ymd: string, days: number): string {
  const d = new Date(`${ymd}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const LEGAL_FORMS_AS_BANKS_WRITE_THEM: [RegExp, string][] = [
  [/\bS\.p\.A\.$/, 'SpA'], [/\bGmbH$/, 'G.m.b.H.'], [/\bSARL$/, 'S.A.R.L.'], [/\bS\.L\.$/, 'SL'], [/\bS\.A\.$/, 'SA'],
  [/\bAG$/, 'A.G.'], [/\bNV$/, 'N.V.'], [/\bB\.V\.$/, 'BV'], [/\bSPRL$/, 'S.P.R.L.'],
];

/**
 * The supplier's name as its bank holds it: upper case without accents, as
 * entered, or with the legal form written another way (or added): every one a
 * match under the EPC's matching recommendations. Deterministic (no draw).
 */
function asTheBankWritesIt(name: string, i: number): string {
  if (i % 3 === 0) return name.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
  if (i % 3 === 1) return name;
  const form = LEGAL_FORMS_AS_BANKS_WRITE_THEM.find(([re]) => re.test(name));
  return form ? name.replace(form[0], form[1]) : `${name} SAS`;
}

/** A close match: the same words, the first two swapped (word order). */
function closeVariant(name: string): string {
  const words = name.split(' ');
  return words.length >= 3 ? [words[1], words[0], ...words.slice(2)].join(' ') : `${name}s`;
}

/** An ISO 11649 creditor reference (RF + check digits + reference). */
function rfReference(ref: string): string {
  const num = (ref + 'RF00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let r = 0;
  for (const ch of num) r = (r * 10 + Number(ch)) % 97;
  return `RF${String(98 - r).padStart(2, '0')}${ref}`;
}

/**
 * The company's signatory, who approves payments at the bank: an internal user
 * with Billing and a French profile, added last (the other records keep their
 * ids). Her to-do in Odoo carries the signatory's page.
 */
export function seedSignatory(store: OdooStore, companyId: number): void {
  const partner = store.insert('res.partner', { name: 'Claire Martin', email: 'claire.martin@example.test', active: true });
  const id = store.insert('res.users', { name: 'Claire Martin', login: 'signatory', partner_id: partner, company_id: companyId, tz: 'Europe/Paris', lang: 'fr_FR', active: true });
  store.users.push({ id, login: 'signatory', password: 'signatory', apiKey: '3c9d1e7f5a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d', groups: ['base.group_user', 'account.group_account_invoice'] });
}

/**
 * The two people who approve bills for payment (Billing Administrators, the
 * default approvers' group), added after the signatory (the others keep their ids).
 */
function seedApprovers(store: OdooStore, companyId: number): SeedInfo['approvers'] {
  const people = [
    { login: 'approver', name: 'Alice Martin', apiKey: '5b7d9f1e3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b' },
    { login: 'approver2', name: 'Bruno Lefèvre', apiKey: '8e0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a' },
  ];
  return people.map((p) => {
    const partner = store.insert('res.partner', { name: p.name, email: `${p.login}@example.test`, active: true });
    const id = store.insert('res.users', { name: p.name, login: p.login, partner_id: partner, company_id: companyId, tz: 'Europe/Paris', active: true });
    store.users.push({ id, login: p.login, password: p.login, apiKey: p.apiKey, groups: ['base.group_user', 'account.group_account_manager'] });
    return { id, login: p.login, name: p.name };
  });
}

const APPROVAL_MODEL = 'x_stet_approval';

/**
 * The approvals of the approved vendor bills, as "Approve for payment" makes
 * them, yesterday at 15:00 UTC, by Alice Martin (and Bruno Lefèvre above
 * 5,000.00); kept until `stetpay install` creates the model. The demo's cases
 * (`approvalProblems`) are approved the wrong way on purpose.
 */
function seedApprovals(store: OdooStore, billIds: number[], approvers: SeedInfo['approvers'], today: string, cases: Record<number, string>): void {
  store.prepareTable(APPROVAL_MODEL);
  const at = `${addDays(today, -1)} 15:00:00`;
  for (const id of billIds) {
    const v = (name: string) => store.value('account.move', id, name);
    if (v('x_stet_approved') !== true || v('move_type') !== 'in_invoice' || cases[id] === 'APPROVAL_MISSING') continue;
    const bank = v('partner_bank_id') as number | false;
    const amount = Number(v('amount_residual'));
    const cents = Math.round(amount * 100) - (cases[id] === 'APPROVAL_CHANGED' ? 30_000 : 0);
    const by = cases[id] === 'APPROVED_BY_AUTHOR' ? [approvers[0]!] : amount > 5000 && cases[id] !== 'SECOND_APPROVAL_MISSING' ? approvers : [approvers[0]!];
    for (const who of by) {
      const approval = store.insert(APPROVAL_MODEL, {
        x_name: `${String(v('name'))} approved by ${who.name}`,
        x_move_id: id,
        x_partner_id: v('commercial_partner_id'),
        x_bank_account_id: bank,
        x_iban: bank ? store.value('res.partner.bank', bank, 'acc_number') : false,
        x_holder: bank ? store.value('res.partner.bank', bank, 'acc_holder_name') : false,
        x_amount_cents: cents,
        x_amount: cents / 100,
        x_currency: store.value('res.currency', v('currency_id') as number, 'name'),
        x_move_state: v('state'),
        x_company_id: v('company_id'),
      });
      store.setLogAccess(APPROVAL_MODEL, approval, { createdBy: who.id, createdAt: at, changedBy: who.id, changedAt: at });
    }
  }
}

/**
 * The demo's approval cases, on plain payable bills (no random draw: the rest
 * of the data stays the same; one plain bill in four at most): ticked without an approval, approved by its
 * author, approved for another amount, one approver above 10,000.00, and an
 * account changed two days ago by the administrator.
 */
function pickApprovalCases(store: OdooStore, billIds: number[], problems: Record<number, string>, approvers: SeedInfo['approvers'], today: string): Record<number, string> {
  const plain = billIds.filter((id) => !problems[id]);
  const cases: Record<number, string> = {};
  // At most one plain bill in four, so a small demo still pays most of its bills.
  const most = Math.floor(plain.length / 4);
  const take = (code: string, ok: (id: number) => boolean = () => true): number | undefined => {
    if (Object.keys(cases).length >= most) return undefined;
    const id = plain.find((b) => !cases[b] && ok(b));
    if (id !== undefined) cases[id] = code;
    return id;
  };
  take('APPROVAL_MISSING');
  const byAuthor = take('APPROVED_BY_AUTHOR', (id) => Number(store.value('account.move', id, 'amount_residual')) <= 5000);
  if (byAuthor !== undefined) store.setLogAccess('account.move', byAuthor, { createdBy: approvers[0]!.id });
  take('APPROVAL_CHANGED');
  take('SECOND_APPROVAL_MISSING', (id) => Number(store.value('account.move', id, 'amount_residual')) > 10_000);
  // An account only this bill pays, so the hold shows on one bill.
  const accountOf = (id: number) => store.value('account.move', id, 'partner_bank_id') as number;
  const changed = take('ACCOUNT_RECENTLY_CHANGED', (id) => billIds.filter((b) => accountOf(b) === accountOf(id)).length === 1);
  if (changed !== undefined) store.setLogAccess('res.partner.bank', accountOf(changed), { changedBy: store.search('res.users', [['login', '=', 'admin']])[0]!, changedAt: `${addDays(today, -2)} 10:00:00` });
  return cases;
}

/** The fixed part every dev database has: users, company, bank journal, metadata. */
export function seedBase(store: OdooStore): { companyId: number; bankJournalId: number; debtorIban: string; debtorBic: string } {
  const rand = seededRandom(424242);
  const eur = store.insert('res.currency', { name: 'EUR', symbol: '€', active: true });
  store.insert('res.currency', { name: 'USD', symbol: '$', active: true });
  for (const [code, name] of COUNTRIES) store.insert('res.country', { code, name });
  const fr = store.search('res.country', [['code', '=', 'FR']])[0]!;
  const companyPartner = store.insert('res.partner', { name: 'Atelier Lumière SAS', is_company: true, street: '18 rue de Rivoli', zip: '75004', city: 'Paris', country_id: fr, vat: 'FR32123456789', company_registry: '123456789', active: true });
  const companyId = store.insert('res.company', { name: 'Atelier Lumière SAS', partner_id: companyPartner, currency_id: eur, country_id: fr, vat: 'FR32123456789', company_registry: '123456789', street: '18 rue de Rivoli', zip: '75004', city: 'Paris', sequence: 10 });
  store.update('res.partner', companyPartner, { company_id: companyId });
  const adminPartner = store.insert('res.partner', { name: 'Mitchell Admin', email: 'admin@example.test', active: true });
  const odooBotPartner = store.insert('res.partner', { name: 'OdooBot', active: true });
  void odooBotPartner;
  const clerkPartner = store.insert('res.partner', { name: 'Camille Bérot', email: 'camille.berot@example.test', active: true });
  store.insert('res.users', { name: 'OdooBot', login: '__system__', partner_id: odooBotPartner, company_id: companyId, tz: 'Europe/Paris', active: false });
  const adminId = store.insert('res.users', { name: 'Mitchell Admin', login: 'admin', partner_id: adminPartner, company_id: companyId, tz: 'Europe/Paris', active: true });
  const clerkId = store.insert('res.users', { name: 'Camille Bérot', login: 'clerk', partner_id: clerkPartner, company_id: companyId, tz: 'Europe/Paris', active: true });
  // admin as Odoo's installer makes it; clerk as the README's daily user: Internal User + Billing (Invoicing on 18), no Settings
  const adminGroups = ['base.group_user', 'base.group_system', 'base.group_partner_manager', 'account.group_account_manager', ...(store.version >= 17 ? ['account.group_validate_bank_account'] : [])];
  store.users = [
    { id: adminId, login: 'admin', password: 'admin', apiKey: 'd0c5e3a1f7b24c6e9a8b0f1e2d3c4b5a6978e1f0', groups: adminGroups },
    { id: clerkId, login: 'clerk', password: 'clerk', apiKey: '7f3e9b1c2d4a5e6f8091a2b3c4d5e6f708192a3b', groups: ['base.group_user', 'account.group_account_invoice'] },
  ];
  seedGroups(store);
  const nwm = store.insert('res.bank', { name: 'Natixis Wealth Management', bic: 'NATXFRPPXXX', country: fr, city: 'Paris' });
  const debtorIban = makeIban('FR', '18919', rand);
  const debtorAccount = store.insert('res.partner.bank', { acc_number: spaced(debtorIban), partner_id: companyPartner, bank_id: nwm, currency_id: eur, company_id: companyId, active: true, allow_out_payment: true, sequence: 10 });
  const bankJournalId = store.insert('account.journal', { name: 'Natixis WM', code: 'BNK1', type: 'bank', company_id: companyId, currency_id: eur, bank_account_id: debtorAccount, sequence: 10, active: true });
  store.insert('account.journal', { name: 'Vendor Bills', code: 'BILL', type: 'purchase', company_id: companyId, sequence: 5, active: true });
  for (const [model, def] of Object.entries(store.schema)) store.insert('ir.model', { model, name: def.description, state: 'base', transient: !!def.transient });
  // 17/18 track the bill's Recipient Bank (account/models/account_move.py: partner_bank_id tracking=True); 16 does not
  if (store.version >= 17) {
    const fieldId = store.insert('ir.model.fields', { name: 'partner_bank_id', model: 'account.move', model_id: store.search('ir.model', [['model', '=', 'account.move']])[0], field_description: 'Recipient Bank', ttype: 'many2one', relation: 'res.partner.bank', state: 'base', tracking: 1, store: true });
    store.trackBaseField('account.move', 'partner_bank_id', fieldId);
  }
  // 16/17/18 track a bank account's number, holder, owner and trusted flag (account/models/res_partner_bank.py: tracking=True)
  const bankModel = store.search('ir.model', [['model', '=', 'res.partner.bank']])[0];
  for (const [name, label, ttype] of [['acc_number', 'Account Number', 'char'], ['acc_holder_name', 'Account Holder Name', 'char'], ['partner_id', 'Account Holder', 'many2one'], ['allow_out_payment', 'Send Money', 'boolean']] as const) {
    const fieldId = store.insert('ir.model.fields', { name, model: 'res.partner.bank', model_id: bankModel, field_description: label, ttype, ...(ttype === 'many2one' ? { relation: 'res.partner' } : {}), state: 'base', tracking: 1, store: true });
    store.trackBaseField('res.partner.bank', name, fieldId);
  }
  const note = store.insert('mail.message.subtype', { name: 'Note', internal: true, sequence: 100 });
  const comment = store.insert('mail.message.subtype', { name: 'Discussions', internal: false, sequence: 0 });
  const form = store.insert('ir.ui.view', { name: 'account.move.form', model: 'account.move', type: 'form', arch_db: '<form string="Account Entry"><sheet><notebook/></sheet></form>', mode: 'primary', priority: 16, active: true });
  store.addXmlid('mail.mt_note', 'mail.message.subtype', note);
  store.addXmlid('mail.mt_comment', 'mail.message.subtype', comment);
  store.addXmlid('account.view_move_form', 'ir.ui.view', form);
  const bankForm = store.insert('ir.ui.view', { name: 'res.partner.bank.form', model: 'res.partner.bank', type: 'form', arch_db: '<form string="Bank account" name="bank_account_form"><sheet><group><group><field name="acc_number"/><field name="bank_id"/><field name="acc_holder_name"/><field name="partner_id"/></group><group><field name="allow_out_payment" widget="boolean_toggle"/></group></group></sheet></form>', mode: 'primary', priority: 15, active: true });
  store.addXmlid('base.view_partner_bank_form', 'ir.ui.view', bankForm);
  // mail/data/mail_activity_data.xml: "To Do" on 16, "To-Do" on 17/18
  store.addXmlid('mail.mail_activity_data_todo', 'mail.activity.type', store.insert('mail.activity.type', { name: store.version >= 17 ? 'To-Do' : 'To Do', sequence: 12, active: true }));
  // account/views/account_menuitem.xml: the app root (Invoicing in Community) and Vendors under it
  const finance = store.insert('ir.ui.menu', { name: 'Invoicing', sequence: 40, active: true });
  store.addXmlid('account.menu_finance', 'ir.ui.menu', finance);
  store.addXmlid('account.menu_finance_payables', 'ir.ui.menu', store.insert('ir.ui.menu', { name: 'Vendors', parent_id: finance, sequence: 3, active: true }));
  store.insert('ir.config_parameter', { key: 'web.base.url', value: 'http://localhost:8069' });
  return { companyId, bankJournalId, debtorIban, debtorBic: 'NATXFRPPXXX' };
}

/** res.groups with their external ids and implied groups (sandbox/odoo/access.ts). */
function seedGroups(store: OdooStore): void {
  const defs = groupDefinitions(store.version);
  const ids = new Map(defs.map((d) => [d.xmlid, store.insert('res.groups', { name: d.name, full_name: groupFullName(d) })]));
  for (const d of defs) {
    store.update('res.groups', ids.get(d.xmlid)!, { implied_ids: d.implied.map((x) => ids.get(x)!) });
    store.addXmlid(d.xmlid, 'res.groups', ids.get(d.xmlid)!);
  }
}

/** Seeds the base and N bills; returns what the demo and tests must expect. */
export function seedStore(store: OdooStore, opts: SeedOptions): SeedInfo {
  const rand = seededRandom(opts.seed ?? 1);
  const today = opts.today ?? parisToday();
  const base = seedBase(store);
  const eur = store.search('res.currency', [['name', '=', 'EUR']])[0]!;
  const usd = store.search('res.currency', [['name', '=', 'USD']])[0]!;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const banks = new Map<string, number>();
  const bankId = (country: string, b: { name: string; bic: string }): number => {
    const hit = banks.get(b.bic);
    if (hit) return hit;
    const id = store.insert('res.bank', { name: b.name, bic: b.bic, country: store.search('res.country', [['code', '=', country]])[0] ?? false });
    banks.set(b.bic, id);
    return id;
  };
  const registered: string[] = [];
  const payees: { iban: string; name: string; accountId: number }[] = [];
  const suppliers = SUPPLIERS.map(([name, country, city, zip, street]) => {
    const countryId = store.search('res.country', [['code', '=', country]])[0]!;
    const partner = store.insert('res.partner', { name, is_company: true, street, zip, city, country_id: countryId, vat: `${country}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`, active: true, supplier_rank: 1 });
    // a contact person, so bills may point at a child partner (commercial partner = company)
    const contact = store.insert('res.partner', { name: pick(['Service comptabilité', 'Accounts payable', 'Buchhaltung', 'Contabilidad']), parent_id: partner, is_company: false, active: true });
    const accounts: number[] = [];
    const n = rand() < 0.3 ? 2 : 1;
    for (let k = 0; k < n; k++) {
      const b = pick(BANKS[country]!);
      const iban = makeIban(country, b.code, rand);
      registered.push(iban);
      const accountId = store.insert('res.partner.bank', { acc_number: rand() < 0.5 ? spaced(iban) : iban, acc_holder_name: rand() < 0.3 ? name.toUpperCase() : false, partner_id: partner, bank_id: bankId(country, b), currency_id: eur, active: true, allow_out_payment: true, sequence: 10 + k });
      accounts.push(accountId);
      payees.push({ iban, name: asTheBankWritesIt(name, payees.length), accountId });
    }
    return { partner, contact, country, accounts, name };
  });
  const problemsPlan: [SeedProblem, number][] = [
    ['no_bank_account', 0.02], ['wrong_iban', 0.02], ['untrusted_account', 0.02], ['usd', 0.015], ['paid', 0.02], ['partial', 0.02],
    ['due_in_60_days', 0.02], ['refund', 0.015], [store.version >= 18 ? 'blocked' : 'to_check', 0.015], ['foreign_account', 0.015], ['not_approved', 0.02],
  ];
  const problems: Record<number, string> = {};
  const billIds: number[] = [];
  const month = today.slice(0, 7).replace('-', '/');
  for (let i = 0; i < opts.invoices; i++) {
    const s = pick(suppliers);
    let r = rand();
    let problem: SeedProblem | undefined;
    for (const [p, share] of problemsPlan) {
      if (r < share) {
        problem = p;
        break;
      }
      r -= share;
    }
    const cents = 5000 + Math.floor(rand() * 2_495_000);
    const amount = cents / 100;
    const dueOffset = problem === 'due_in_60_days' ? 60 : Math.floor(rand() * 46) - 20;
    const due = addDays(today, dueOffset);
    const ref = `F${today.slice(0, 4)}-${String(1000 + Math.floor(rand() * 90000))}`;
    const bill: Record<string, unknown> = {
      name: `BILL/${month}/${String(i + 1).padStart(4, '0')}`,
      ref,
      payment_reference: rand() < 0.1 ? rfReference(ref.replace(/\W/g, '')) : ref,
      move_type: problem === 'refund' ? 'in_refund' : 'in_invoice',
      state: 'posted',
      payment_state: 'not_paid',
      partner_id: rand() < 0.2 ? s.contact : s.partner,
      partner_bank_id: s.accounts[0] ?? false,
      currency_id: problem === 'usd' ? usd : eur,
      company_id: base.companyId,
      journal_id: store.search('account.journal', [['code', '=', 'BILL']])[0],
      amount_total: amount,
      amount_residual: amount,
      date: addDays(due, -30),
      invoice_date: addDays(due, -30),
      invoice_date_due: due,
      x_stet_approved: problem !== 'not_approved',
      ...(store.version >= 18 ? { checked: true } : { to_check: false }),
    };
    if (s.accounts.length > 1 && rand() < 0.5) bill.partner_bank_id = s.accounts[1];
    switch (problem) {
      case 'no_bank_account':
        bill.partner_bank_id = false;
        break;
      case 'wrong_iban': {
        const good = store.read('res.partner.bank', [bill.partner_bank_id as number])[0]!;
        bill.partner_bank_id = store.insert('res.partner.bank', { acc_number: breakCheckDigits(String(good.sanitized_acc_number)), partner_id: s.partner, bank_id: good.bank_id, currency_id: eur, active: true, allow_out_payment: true, sequence: 20 });
        break;
      }
      case 'untrusted_account': {
        const b = pick(BANKS[s.country]!);
        bill.partner_bank_id = store.insert('res.partner.bank', { acc_number: makeIban(s.country, b.code, rand), partner_id: s.partner, bank_id: bankId(s.country, b), currency_id: eur, active: true, allow_out_payment: false, sequence: 30 });
        break;
      }
      case 'paid':
        bill.amount_residual = 0;
        bill.payment_state = 'paid';
        break;
      case 'partial':
        bill.amount_residual = Math.floor(cents / 3) / 100;
        bill.payment_state = 'partial';
        break;
      case 'blocked':
        bill.payment_state = 'blocked';
        break;
      case 'to_check':
        bill.to_check = true;
        break;
      case 'foreign_account': {
        const other = suppliers.find((x) => x.partner !== s.partner && x.accounts.length)!;
        bill.partner_bank_id = other.accounts[0];
        break;
      }
    }
    const id = store.insert('account.move', bill);
    billIds.push(id);
    if (problem) problems[id] = problem;
  }
  // The close match and the mismatch: the accounts of the first two plain bills paid to different accounts.
  const plainAccounts = [...new Set(billIds.filter((id) => !problems[id]).map((id) => store.value('account.move', id, 'partner_bank_id') as number))];
  const payeeProblems: SeedInfo['payeeProblems'] = [];
  for (const [i, kind] of (['close_match', 'no_match'] as const).entries()) {
    const entry = payees.find((p) => p.accountId === plainAccounts[i]);
    if (!entry) continue;
    entry.name = kind === 'close_match' ? closeVariant(String(store.value('res.partner', store.value('res.partner.bank', entry.accountId, 'partner_id') as number, 'name'))) : 'Jean-Marc Fraudet';
    payeeProblems.push({ accountId: entry.accountId, iban: entry.iban, kind, heldName: entry.name });
  }
  seedSignatory(store, base.companyId);
  const approvers = seedApprovers(store, base.companyId);
  // Every account was made long ago (no hold on a recent change); every approved bill approved yesterday, above 5,000.00 by both approvers.
  for (const id of store.allIds('res.partner.bank')) store.setLogAccess('res.partner.bank', id, { createdAt: `${addDays(today, -90)} 08:00:00`, changedAt: `${addDays(today, -90)} 08:00:00` });
  const approvalProblems = opts.approvalCases ? pickApprovalCases(store, billIds, problems, approvers, today) : {};
  seedApprovals(store, billIds, approvers, today, approvalProblems);
  return { approvers, approvalProblems, payees: payees.map(({ iban, name }) => ({ iban, name })), payeeProblems, registeredIbans: registered, debtorIban: base.debtorIban, debtorBic: base.debtorBic, problems, billIds, companyId: base.companyId, bankJournalId: base.bankJournalId };
}
