/**
 * The paying account per company (payments.debtorAccounts) and NWM-18 (the
 * bank debits only its client's accounts at establishment 18919), in the run
 * against the Odoo dev server: a second company with its own bank journal.
 */
import { expect } from 'chai';
import { getBankProfile } from '../../connector/profiles/index.js';
import { runPayments } from '../../plugin/run/run-payments.js';
import { makeIban, spaced } from '../../sandbox/odoo/iban.js';
import { seededRandom } from '../../sandbox/seeded-random.js';
import { StetpayQueues } from '../../worker/index.js';
import { clerkRunConfig, clerkStack } from '../support/approvals.js';

describe('the paying account per company, NWM-18 (dev server, Redis)', function () {
  this.timeout(30_000);
  const stack = clerkStack({ invoices: 30, seed: 7 });
  const rand = seededRandom(99);

  const st = () => stack.server.store;
  const plain = () => stack.server.seedInfo!.billIds.filter((id) => !stack.server.seedInfo!.problems[id]);
  /** A bank journal of `companyId` paying from a new account (`bankCode`: the French bank code of its IBAN). */
  function bankJournal(companyId: number, code: string, bankCode: string, sequence: number): string {
    const iban = makeIban('FR', bankCode, rand);
    const partner = st().value('res.company', companyId, 'partner_id') as number;
    const account = st().insert('res.partner.bank', { acc_number: spaced(iban), partner_id: partner, company_id: companyId, active: true, allow_out_payment: true });
    st().insert('account.journal', { name: `Bank ${code}`, code, type: 'bank', company_id: companyId, bank_account_id: account, sequence, active: true });
    return iban;
  }
  function secondCompany(): number {
    const partner = st().insert('res.partner', { name: 'Lumière Nord SARL', is_company: true, country_id: st().search('res.country', [['code', '=', 'FR']])[0], active: true });
    const company = st().insert('res.company', { name: 'Lumière Nord SARL', partner_id: partner, currency_id: st().search('res.currency', [['name', '=', 'EUR']])[0], sequence: 20 });
    st().update('res.partner', partner, { company_id: company });
    return company;
  }
  async function run(payments: Record<string, unknown> = {}) {
    const config = clerkRunConfig(stack.server, stack.redis.url, stack.certs, { payments });
    const queues = await StetpayQueues.open({ connection: stack.redis.url, prefix: config.redis.prefix });
    stack.open.push(queues);
    return runPayments({ odoo: stack.odoo, config, profile: getBankProfile('nwm-18919'), queues, now: new Date() });
  }
  const debtorOf = (billId: number) => (JSON.parse(String(st().value('account.move', billId, 'x_stet_request'))) as { debtorAccount: { iban: string } }).debtorAccount.iban;
  const queued = (ids: number[]) => ids.filter((id) => st().value('account.move', id, 'x_stet_status') === 'queued');

  it('PAY-ACCOUNT-01 two companies in one database each pay from their own account, each bill from its company\'s', async () => {
    const first = stack.server.seedInfo!.companyId;
    const second = secondCompany();
    const secondIban = bankJournal(second, 'BNK2', '18919', 10);
    const bills = plain();
    const theirs = bills.filter((_, i) => i % 3 === 0);
    for (const id of theirs) st().update('account.move', id, { company_id: second });
    await run();
    const mine = bills.filter((id) => !theirs.includes(id));
    expect(queued(theirs)).to.deep.equal(theirs);
    expect(queued(mine).length).to.be.greaterThan(0);
    for (const id of queued(theirs)) expect(debtorOf(id), `bill ${id}`).to.equal(secondIban);
    for (const id of queued(mine)) expect(debtorOf(id), `bill ${id}`).to.equal(stack.server.seedInfo!.debtorIban);
    expect(first).to.not.equal(second);
  });

  it('PAY-ACCOUNT-02 payments.debtorAccounts chooses the company\'s journal by code or IBAN (by company name or id); a choice no journal matches leaves its bills invalid, saying so', async () => {
    const company = stack.server.seedInfo!.companyId;
    const other = bankJournal(company, 'BNK9', '18919', 90);
    const [a, b, c] = plain();
    await run({ debtorAccounts: { 'Atelier Lumière SAS': 'bnk9' } });
    expect(debtorOf(a!)).to.equal(other);
    for (const id of [a!, b!]) st().update('account.move', id, { x_stet_status: false, x_stet_attempt: 0, x_stet_closed_attempt: 0 });
    await run({ debtorAccounts: { [String(company)]: spaced(stack.server.seedInfo!.debtorIban).toLowerCase() } });
    expect(debtorOf(a!)).to.equal(stack.server.seedInfo!.debtorIban);
    st().update('account.move', c!, { x_stet_status: false, x_stet_attempt: 0, x_stet_closed_attempt: 0 });
    await run({ debtorAccounts: { 'Atelier Lumière SAS': 'NOPE' } });
    const name = String(st().value('account.move', c!, 'name'));
    expect([st().value('account.move', c!, 'x_stet_status'), st().value('account.move', c!, 'x_stet_status_reason')]).to.deep.equal([
      'invalid',
      `DEBTOR_ACCOUNT_NOT_FOUND: Bill ${name}: the paying account set for its company in payments.debtorAccounts (NOPE) is not one of that company's bank journals (by journal code or IBAN); correct the setting or the journal.`,
    ]);
  });

  it('NWM-18 the NWM profile refuses a debtor account at another bank, per bill, before anything is reserved', async () => {
    const second = secondCompany();
    const elsewhere = bankJournal(second, 'BNP', '30004', 10);
    const [id] = plain();
    st().update('account.move', id!, { company_id: second });
    const summary = await run();
    const name = String(st().value('account.move', id!, 'name'));
    expect([st().value('account.move', id!, 'x_stet_status'), st().value('account.move', id!, 'x_stet_status_reason')]).to.deep.equal([
      'invalid',
      `DEBTOR_OUTSIDE_BANK: Bill ${name}: it would be paid from ${spaced(elsewhere)}, an account this bank cannot debit (it debits only its client's accounts, IBANs starting FR18919); choose the company's account at this bank in payments.debtorAccounts, or as the first bank journal.`,
    ]);
    expect(st().value('account.move', id!, 'x_stet_end_to_end_id')).to.equal(false);
    expect(summary.queuedBillIds).to.not.include(id);
  });
});
