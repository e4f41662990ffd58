/**
 * The signatory's page shows, for each transfer, the payee check its payment
 * was decided under (Verification of Payee) and who confirmed it, in words
 * the signatory reads: what Odoo records on the bill (its payee check,
 * related fields), read by the Billing user.
 */
import { expect } from 'chai';
import { OdooClient, readWaitingBills } from '../../connector/odoo/index.js';
import { renderSignatoryPage, waitingPayments, type WaitingPayment } from '../../plugin/signatory/index.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { NOW, odooPerSuite, payableBills, queuedValues, setBill } from '../commands/support.js';

const FORMAT = { timeZone: 'Europe/Paris', now: NOW, consentWindowMs: 15 * 60_000 };
const tokenOf = () => 'token';

function payment(transfers: WaitingPayment['transfers']): WaitingPayment {
  return { paymentId: 'SPB-X-1-1', executionDate: '2026-03-04', transfers, stage: 'on-open', window: 'new', totalCents: transfers.reduce((s, t) => s + t.amountCents, 0), currency: 'EUR' };
}
const transfer = (n: number, payeeCheck?: { result: string; confirmedBy?: string }) => ({ billId: n, billName: `BILL/2026/03/000${n}`, supplier: `Supplier ${n}`, amountCents: 100_00 * n, currency: 'EUR', endToEndId: `E${n}`, ...(payeeCheck ? { payeeCheck } : {}) });

describe('the signatory\'s page shows each payee check (Verification of Payee)', function () {
  this.timeout(60_000);

  it('PAGE-PAYEE-01 a match, a close match a person confirmed, in English and French; none when the bill has no check', () => {
    const en = renderSignatoryPage('Claire Martin', [payment([transfer(1, { result: 'MTCH' })]), payment([transfer(2, { result: 'CMTC', confirmedBy: 'Léa Dubois' })]), payment([transfer(3)])], { ...FORMAT, lang: 'en' }, tokenOf);
    const checks = [...en.matchAll(/data-testid="payee-check">([^<]*)</g)].map((m) => m[1]);
    expect(checks).to.deep.equal(['Match: the payee’s bank holds this name for this account', 'Close match, confirmed by Léa Dubois (CMTC)']);
    const fr = renderSignatoryPage('Claire Martin', [payment([transfer(2, { result: 'NMTC', confirmedBy: 'Léa Dubois' })])], { ...FORMAT, lang: 'fr' }, tokenOf);
    expect(fr).to.contain('<dt>Vérification du bénéficiaire</dt><dd data-testid="payee-check">Pas de concordance, confirmée par Léa Dubois (NMTC)</dd>');
  });

  it('PAGE-PAYEE-02 a request of several transfers shows each transfer\'s check in its line', () => {
    const html = renderSignatoryPage('Claire Martin', [payment([transfer(1, { result: 'MTCH' }), transfer(2, { result: 'NOAP' })])], { ...FORMAT, lang: 'en' }, tokenOf);
    expect(html).to.contain('(BILL/2026/03/0001; Payee check: Match: the payee’s bank holds this name for this account)</li>');
    expect(html).to.contain('(BILL/2026/03/0002; Payee check: Not possible: the payee’s bank could not check (NOAP))</li>');
  });

  describe('read from Odoo (dev server 17, Billing user)', () => {
    let server: RunningOdooDevServer;
    let odoo: OdooClient;
    odooPerSuite(6, (o) => ({ server, client: odoo } = o));

    it('PAGE-PAYEE-03 the bill\'s payee check and the person who confirmed it reach the page\'s transfer; a bill without one has none', async () => {
      const [a, b] = payableBills(server);
      for (const id of [a!, b!]) await setBill(odoo, id, { ...queuedValues(server.database, id), x_stet_status: 'submitted', x_stet_consent_url: 'https://bank.example/consent/1' });
      const checkId = await odoo.call<number>('x_stet_payee_check', 'create', [{ x_name: 'FR76 … / Supplier', x_result: 'CMTC', x_confirmed: true }]);
      await odoo.call('account.move', 'write', [[a], { x_stet_payee_check_id: checkId }]);
      const bills = await readWaitingBills(odoo);
      // Who confirmed: the check's last writer, here the Billing user who ticked it.
      const [me] = await odoo.call<{ name: string }[]>('res.users', 'read', [[odoo.uid]], { fields: ['name'] });
      expect(bills.find((x) => x.billId === a)).to.include({ payeeResult: 'CMTC', payeeConfirmedBy: me!.name });
      expect(bills.find((x) => x.billId === b)).to.include({ payeeResult: null, payeeConfirmedBy: null });
      const [pa, pb] = [a, b].map((id) => waitingPayments(bills.filter((x) => x.billId === id), undefined, { now: NOW, consentWindowMs: 15 * 60_000 })[0]!);
      expect(pa!.transfers[0]!.payeeCheck).to.deep.equal({ result: 'CMTC', confirmedBy: me!.name });
      expect(pb!.transfers[0]!.payeeCheck).to.equal(undefined);
    });
  });
});
