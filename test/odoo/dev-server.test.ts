import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startOdooDevServer } from '../../sandbox/odoo/index.js';
import { OdooStore } from '../../sandbox/odoo/store.js';
import { seedStore } from '../../sandbox/odoo/seed.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { OdooMissingError } from '../../connector/odoo/errors.js';
import type { OdooClient } from '../../connector/odoo/odoo-client.js';
import { odooClientPerSuite } from './helpers.js';

describe('Odoo dev server domains and state', () => {
  const store = new OdooStore(17);
  const info = seedStore(store, { invoices: 120, seed: 4, today: '2026-03-02' });
  const count = (d: unknown[]): number => store.search('account.move', d).length;
  const all = info.billIds.length;

  it('implicit &, prefix |, ! and dotted paths', () => {
    const refunds = count([['move_type', '=', 'in_refund']]);
    expect(count([['move_type', '!=', 'in_refund']])).to.equal(all - refunds);
    expect(count(['!', ['move_type', '=', 'in_refund']])).to.equal(all - refunds);
    expect(count(['|', ['move_type', '=', 'in_refund'], ['move_type', '=', 'in_invoice']])).to.equal(all);
    const untrusted = count([['partner_bank_id.allow_out_payment', '=', false]]);
    expect(untrusted).to.be.greaterThan(0);
    expect(count([['partner_bank_id', '=', false]])).to.equal(Object.values(info.problems).filter((p) => p === 'no_bank_account').length);
  });

  it('like/ilike/=like, in/not in, =? and comparisons on dates', () => {
    expect(count([['name', 'ilike', 'bill/2026']])).to.equal(all);
    expect(count([['name', 'like', 'bill/2026']])).to.equal(0);
    expect(count([['name', '=like', 'BILL/2026/03/000_']])).to.equal(9);
    expect(count([['payment_state', 'not in', ['paid']]])).to.equal(all - Object.values(info.problems).filter((p) => p === 'paid').length);
    // =? : no value (False/None) leaves the leaf out; a value compares as =
    expect(count([['ref', '=?', false]])).to.equal(all);
    expect(count([['move_type', '=?', 'in_refund']])).to.equal(count([['move_type', '=', 'in_refund']]));
    expect(count([['move_type', '=?', 'in_refund']])).to.be.within(1, all - 1);
    const late = count([['invoice_date_due', '<', '2026-03-02']]);
    expect(late + count([['invoice_date_due', '>=', '2026-03-02']])).to.equal(all);
  });

  it('not like / not ilike (empty values match the negative), =ilike without wrapping, <= and >', () => {
    const like = count([['name', 'like', 'BILL/2026/03/00']]); // 0001..0099 of 120
    expect(like).to.be.within(1, all - 1);
    expect(count([['name', 'not like', 'BILL/2026/03/00']])).to.equal(all - like);
    expect(count([['name', 'not like', 'bill/2026']])).to.equal(all); // like is case-sensitive
    expect(count([['name', 'not ilike', 'bill/2026']])).to.equal(0);
    const noAccount = count([['partner_bank_id', '=', false]]);
    expect(noAccount).to.be.greaterThan(0);
    // bills without a recipient account match, as Odoo's "... OR field IS NULL" for negative operators
    expect(count([['partner_bank_id', 'not ilike', 'zzz-no-such-iban']])).to.equal(all);
    expect(count([['partner_bank_id', 'ilike', 'zzz-no-such-iban']])).to.equal(0);
    expect(count([['name', '=ilike', 'bill/2026/03/000_']])).to.equal(count([['name', '=like', 'BILL/2026/03/000_']]));
    expect(count([['name', '=ilike', 'bill/2026/03']])).to.equal(0); // =ilike does not wrap with %
    const [one] = store.read('account.move', [info.billIds[7]!]);
    const due = one!.invoice_date_due as string;
    const atOrBefore = store.search('account.move', [['invoice_date_due', '<=', due]]);
    const after = store.search('account.move', [['invoice_date_due', '>', due]]);
    expect(atOrBefore).to.include(one!.id);
    expect(after).to.not.include(one!.id);
    expect(atOrBefore.length + after.length).to.equal(count([['invoice_date_due', '!=', false]]));
    expect(after.length).to.equal(count([['invoice_date_due', '>=', due]]) - count([['invoice_date_due', '=', due]]));
  });

  it('an unknown field in a domain faults as Odoo', () => {
    expect(() => count([['x_nope', '=', 1]])).to.throw().with.property('faultString').that.matches(/ValueError: Invalid field account\.move\.x_nope in leaf \('x_nope', '=', 1\)\n$/);
  });

  it('saves its state to JSON and loads it back', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'odoo-data-')), 'odoo.json');
    const a = await startOdooDevServer({ dataFile: file, seed: { invoices: 10, today: '2026-03-02' } });
    a.store.update('account.move', a.seedInfo!.billIds[0]!, { ref: 'SAVED' });
    await a.close();
    const b = await startOdooDevServer({ dataFile: file });
    try {
      expect(b.store.read('account.move', [b.seedInfo!.billIds[0]!])[0]!.ref).to.equal('SAVED');
      expect(b.seedInfo!.billIds).to.have.length(10);
    } finally {
      await b.close();
    }
  });
});

describe('Odoo dev server over XML-RPC: archived records and unlink as Odoo', () => {
  let server: RunningOdooDevServer;
  let client: OdooClient;
  odooClientPerSuite((o) => ({ server, client } = o), { seed: { invoices: 5, seed: 4, today: '2026-03-02' }, as: 'admin' });

  it('search, search_read, search_count and read_group leave archived records out unless active_test is False or the domain names active', async () => {
    const all = server.store.allIds('res.partner.bank');
    const archived = all[all.length - 1]!;
    server.store.update('res.partner.bank', archived, { active: false });
    try {
      expect(await client.call<number[]>('res.partner.bank', 'search', [[]])).to.not.include(archived);
      expect(await client.call<number>('res.partner.bank', 'search_count', [[]])).to.equal(all.length - 1);
      const rows = await client.call<{ id: number }[]>('res.partner.bank', 'search_read', [[]], { fields: ['acc_number'] });
      expect(rows.map((r) => r.id)).to.not.include(archived);
      const groups = await client.call<{ __count: number }[]>('res.partner.bank', 'read_group', [[], ['active'], ['active']], { lazy: false });
      expect(groups.map((g) => g.__count)).to.deep.equal([all.length - 1]);
      expect(await client.call<number[]>('res.partner.bank', 'search', [[]], { context: { active_test: false } })).to.include(archived);
      expect(await client.call<number[]>('res.partner.bank', 'search', [[['active', '=', false]]])).to.deep.equal([archived]);
      expect(await client.call<number[]>('res.partner.bank', 'search', [['|', ['active', '=', true], ['active', '=', false]]])).to.include(archived);
      // read is not a search: an archived record is read as any other
      expect(await client.call<{ active: boolean }[]>('res.partner.bank', 'read', [[archived]], { fields: ['active'] })).to.deep.equal([{ id: archived, active: false }]);
      // models without an active field are not filtered
      expect(await client.call<number>('account.move', 'search_count', [[]])).to.equal(server.store.allIds('account.move').length);
    } finally {
      server.store.update('res.partner.bank', archived, { active: true });
    }
  });

  it('unlink of an id that does not exist faults with MissingError and deletes nothing', async () => {
    const id = server.store.insert('res.bank', { name: 'To delete', bic: 'DELEFRPPXXX' });
    let err: unknown;
    try {
      await client.call('res.bank', 'unlink', [[id, 999999]]);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(OdooMissingError);
    expect((err as Error).message).to.equal('Record does not exist or has been deleted.\n(Record: res.bank(999999,), User: 2)');
    expect(server.store.exists('res.bank', id)).to.equal(true);
    expect(await client.call('res.bank', 'unlink', [[id]])).to.equal(true);
    expect(server.store.exists('res.bank', id)).to.equal(false);
  });
});
