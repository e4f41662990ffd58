import { expect } from 'chai';
import { isValidIBAN } from 'ibantools';
import { OdooStore } from '../../sandbox/odoo/store.js';
import { seedStore } from '../../sandbox/odoo/seed.js';

describe('Odoo dev server seed', () => {
  it('is deterministic for a seed', () => {
    const a = new OdooStore(17);
    const b = new OdooStore(17);
    const ia = seedStore(a, { invoices: 200, seed: 9, today: '2026-03-02' });
    const ib = seedStore(b, { invoices: 200, seed: 9, today: '2026-03-02' });
    expect(ia).to.deep.equal(ib);
    const strip = (s: OdooStore): unknown => JSON.parse(JSON.stringify(s.read('account.move', s.allIds('account.move')).map(({ create_date, write_date, ...r }) => r)));
    expect(strip(a)).to.deep.equal(strip(b));
  });

  it('gives valid IBANs with national check digits (FR, DE, ES, IT, BE, NL), a broken one for wrong_iban', () => {
    const store = new OdooStore(17);
    const info = seedStore(store, { invoices: 400, seed: 1, today: '2026-03-02' });
    expect(isValidIBAN(info.debtorIban)).to.equal(true);
    expect(info.debtorIban.slice(4, 9)).to.equal('18919');
    expect(new Set(info.registeredIbans.map((i) => i.slice(0, 2)))).to.include.members(['FR', 'DE', 'ES', 'IT', 'BE', 'NL']);
    for (const iban of info.registeredIbans) expect(isValidIBAN(iban), iban).to.equal(true);
    const wrong = Object.entries(info.problems).filter(([, p]) => p === 'wrong_iban').map(([id]) => Number(id));
    expect(wrong.length).to.be.greaterThan(0);
    for (const id of wrong) {
      const bankId = store.read('account.move', [id])[0]!.partner_bank_id as number;
      expect(isValidIBAN(String(store.read('res.partner.bank', [bankId])[0]!.sanitized_acc_number))).to.equal(false);
    }
    const kinds = new Set(Object.values(info.problems));
    for (const k of ['no_bank_account', 'untrusted_account', 'usd', 'paid', 'partial', 'due_in_60_days', 'refund', 'to_check', 'foreign_account', 'not_approved']) expect(kinds.has(k), k).to.equal(true);
  });
});
