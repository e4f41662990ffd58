import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startOdooDevServer } from '../../sandbox/odoo/index.js';
import { OdooStore } from '../../sandbox/odoo/store.js';
import { seedStore } from '../../sandbox/odoo/seed.js';

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
