import { expect } from 'chai';
import type { BillSnapshot } from '../../connector/model/bill-snapshot.js';
import { collectApprovedBills } from '../../connector/odoo/collect-approved-bills.js';
import type { OdooClient } from '../../connector/odoo/odoo-client.js';
import { writeBillUpdates } from '../../connector/odoo/write-bill-updates.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { clerkClient, devOdoo, odooClientPerSuite, TODAY } from './helpers.js';

async function collectAll(client: OdooClient, opts: Parameters<typeof collectApprovedBills>[1]): Promise<BillSnapshot[][]> {
  const pages: BillSnapshot[][] = [];
  for await (const page of collectApprovedBills(client, opts)) pages.push(page);
  return pages;
}

describe('collect approved bills', () => {
  let server: RunningOdooDevServer;
  let client: OdooClient;
  odooClientPerSuite((o) => ({ server, client } = o), { seed: { invoices: 1200, seed: 3, today: TODAY }, as: 'clerk', install: true });

  it('reads 1,200 bills in pages of 500 with at most ceil(N/500)+5 calls, due date then id', async () => {
    server.resetCalls();
    const pages = await collectAll(client, { database: server.database });
    const bills = pages.flat();
    const calls = server.calls();
    const odooCalls = (calls.total ?? 0);
    const expected = server.store.search('account.move', [
      ['move_type', '=', 'in_invoice'], ['state', '=', 'posted'], ['payment_state', 'in', ['not_paid', 'partial']], ['x_stet_approved', '=', true], ['x_stet_status', '=', false], ['to_check', '=', false],
    ]);
    expect(bills.length).to.equal(expected.length);
    expect(bills.length).to.be.greaterThan(1000);
    expect(pages.map((p) => p.length).slice(0, 2)).to.deep.equal([500, 500]);
    expect(odooCalls).to.be.at.most(Math.ceil(bills.length / 500) + 5);
    expect(calls['account.move.read']).to.equal(Math.ceil(bills.length / 500));
    const keys = bills.map((b) => `${b.bill.dueDate}|${String(b.bill.id).padStart(6, '0')}`);
    expect(keys).to.deep.equal([...keys].sort());
  });

  it('leaves out every seeded problem the domain covers: paid, refund, not approved, to check', async () => {
    const ids = new Set((await collectAll(client, { database: server.database })).flat().map((b) => b.bill.id));
    for (const [id, problem] of Object.entries(server.seedInfo!.problems)) {
      const inside = ids.has(Number(id));
      if (['paid', 'refund', 'not_approved', 'to_check'].includes(problem)) expect(inside, `${problem} bill ${id}`).to.equal(false);
      else expect(inside, `${problem} bill ${id}`).to.equal(true);
    }
  });

  it('gives every beneficiary field the rules check', async () => {
    const bills = (await collectAll(client, { database: server.database })).flat();
    const problems = server.seedInfo!.problems;
    const plain = bills.find((b) => !problems[b.bill.id])!;
    expect(plain.database).to.equal('stetpay-demo');
    expect(plain.bill.currency).to.equal('EUR');
    expect(plain.bill.attempt).to.equal(0);
    expect(plain.supplier!.name).to.be.a('string').and.not.equal('');
    expect(plain.supplier!.countryCode).to.match(/^[A-Z]{2}$/);
    expect(plain.supplierAccount!.accountNumber.replace(/\s/g, '')).to.be.oneOf(server.seedInfo!.registeredIbans);
    expect(plain.supplierAccount!.bic).to.match(/^[A-Z0-9]{11}$/);
    expect(plain.supplierAccount!.partnerId).to.equal(plain.bill.commercialPartnerId);
    expect(plain.supplierAccount!.trusted).to.equal(true);
    expect(plain.debtor).to.deep.include({ name: 'Atelier Lumière SAS', countryCode: 'FR', bic: 'NATXFRPPXXX', journalId: server.seedInfo!.bankJournalId });
    expect(plain.debtor!.iban.replace(/\s/g, '')).to.equal(server.seedInfo!.debtorIban);
    const byProblem = (p: string): BillSnapshot => bills.find((b) => problems[b.bill.id] === p)!;
    expect(byProblem('no_bank_account').supplierAccount).to.equal(null);
    expect(byProblem('untrusted_account').supplierAccount!.trusted).to.equal(false);
    const foreign = byProblem('foreign_account');
    expect(foreign.supplierAccount!.partnerId).to.not.equal(foreign.bill.commercialPartnerId);
    expect(byProblem('usd').bill.currency).to.equal('USD');
    const partial = byProblem('partial');
    expect(partial.bill.amountResidual).to.be.lessThan(partial.bill.amountTotal);
  });

  it('with a horizon, bills due after it are not read at all', async () => {
    const horizon = '2026-03-10';
    server.resetCalls();
    const bills = (await collectAll(client, { database: server.database, horizon })).flat();
    expect(bills.every((b) => b.bill.dueDate === null || b.bill.dueDate <= horizon)).to.equal(true);
    expect(bills.some((b) => server.seedInfo!.problems[b.bill.id] === 'due_in_60_days')).to.equal(false);
    expect(bills.length).to.be.greaterThan(0);
    // only the bills within the horizon were read: one read per 500 of them
    expect(server.calls()['account.move.read']).to.equal(Math.ceil(bills.length / 500));
  });

  it('with a custom domain and a horizon, bills due after the horizon are not read (the horizon is added to the domain)', async () => {
    const horizon = '2026-03-10';
    // a domain with a leading '|': the horizon must be ANDed with all of it, not with its last term
    const domain = ['|', ['move_type', '=', 'in_invoice'], ['move_type', '=', 'in_refund'], ['state', '=', 'posted'], ['x_stet_status', '=', false]];
    const withoutHorizon = (await collectAll(client, { database: server.database, domain })).flat();
    expect(withoutHorizon.some((b) => b.bill.dueDate !== null && b.bill.dueDate > horizon)).to.equal(true);
    const bills = (await collectAll(client, { database: server.database, domain, horizon })).flat();
    const expected = server.store.search('account.move', [
      '&', '&', '&', '|', ['move_type', '=', 'in_invoice'], ['move_type', '=', 'in_refund'], ['state', '=', 'posted'], ['x_stet_status', '=', false],
      '|', ['invoice_date_due', '=', false], ['invoice_date_due', '<=', horizon],
    ]);
    expect(bills.map((b) => b.bill.id).sort((a, b) => a - b)).to.deep.equal([...expected].sort((a, b) => a - b));
    expect(bills.filter((b) => b.bill.dueDate !== null && b.bill.dueDate > horizon)).to.deep.equal([]);
    expect(bills.some((b) => b.bill.moveType === 'in_refund')).to.equal(true);
  });

  it('bills reserved between pages are not skipped (the id list is fixed first)', async () => {
    const seen: number[] = [];
    for await (const page of collectApprovedBills(client, { database: server.database, pageSize: 300 })) {
      seen.push(...page.map((b) => b.bill.id));
      await writeBillUpdates(client, page.slice(0, 50).map((b) => ({ billId: b.bill.id, values: { x_stet_status: 'queued' } })));
    }
    expect(new Set(seen).size).to.equal(seen.length);
    expect(seen.length).to.be.greaterThan(1000);
  });
});

describe('collect on Odoo 18', () => {
  it('leaves out blocked bills and reads checked instead of to_check', async () => {
    const server = await devOdoo({ version: 18, seed: { invoices: 300, seed: 5, today: TODAY } });
    const client = await clerkClient(server, { install: true });
    try {
      const ids = new Set((await collectAll(client, { database: server.database })).flat().map((b) => b.bill.id));
      const blocked = Object.entries(server.seedInfo!.problems).filter(([, p]) => p === 'blocked');
      expect(blocked.length).to.be.greaterThan(0);
      for (const [id] of blocked) expect(ids.has(Number(id))).to.equal(false);
    } finally {
      client.close();
      await server.close();
    }
  });
});
