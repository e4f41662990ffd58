/**
 * The signatory's page says who approved each transfer: the approval records
 * (x_stet_approval) of what is paid, read by the Billing user.
 */
import { expect } from 'chai';
import { OdooClient, readWaitingBills } from '../../connector/odoo/index.js';
import { renderSignatoryPage, waitingPayments } from '../../plugin/signatory/index.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { NOW, odooPerSuite, payableBills, queuedValues, setBill } from '../commands/support.js';

describe('the signatory\'s page shows who approved each payment (dev server 17, Billing user)', function () {
  this.timeout(60_000);
  let server: RunningOdooDevServer;
  let odoo: OdooClient;
  odooPerSuite(40, (o) => ({ server, client: odoo } = o));

  // what the run reserved: the payment sends exactly these
  const reserved = (id: number) => ({
    x_stet_reserved_amount: Number(server.store.value('account.move', id, 'amount_residual')),
    x_stet_reserved_currency: 'EUR',
    x_stet_reserved_iban: String(server.store.value('res.partner.bank', server.store.value('account.move', id, 'partner_bank_id') as number, 'acc_number')).replace(/\s/g, ''),
  });

  it('PAGE-APPROVER-01 the approvers of what is paid (both above 5,000.00 in the seed) reach the transfer and the page', async () => {
    const bills = payableBills(server);
    const amount = (id: number) => Number(server.store.value('account.move', id, 'amount_residual'));
    const small = bills.find((id) => amount(id) <= 5000)!;
    const big = bills.find((id) => amount(id) > 5000)!;
    for (const id of [small, big]) await setBill(odoo, id, { ...queuedValues(server.database, id), ...reserved(id), x_stet_status: 'submitted', x_stet_consent_url: 'https://bank.example/consent/1' });
    const waiting = await readWaitingBills(odoo);
    expect(waiting.find((b) => b.billId === small)!.approvers).to.equal('Alice Martin');
    expect(waiting.find((b) => b.billId === big)!.approvers).to.equal('Alice Martin, Bruno Lefèvre');
    const [payment] = waitingPayments(waiting.filter((b) => b.billId === big), undefined, { now: NOW, consentWindowMs: 15 * 60_000 });
    expect(payment!.transfers[0]!.approver).to.equal('Alice Martin, Bruno Lefèvre');
    const html = renderSignatoryPage('Claire Martin', [payment!], { timeZone: 'Europe/Paris', now: NOW, consentWindowMs: 15 * 60_000, lang: 'en' }, () => 'token');
    expect(html).to.contain('<dt>Approved by</dt><dd data-testid="approver">Alice Martin, Bruno Lefèvre</dd>');
  });

  it("PAGE-APPROVER-02 'Approved by' lists only approvals that count: a record a clerk made over RPC (same or other amount) is not listed and hides nobody; an approver's record for other values is not listed", async () => {
    const bills = payableBills(server);
    const id = bills.find((b) => Number(server.store.value('account.move', b, 'amount_residual')) > 5000 && !server.store.value('account.move', b, 'x_stet_payment_information_id'))!;
    await setBill(odoo, id, { ...queuedValues(server.database, id), ...reserved(id), x_stet_status: 'submitted', x_stet_consent_url: 'https://bank.example/consent/2' });
    const [approved] = server.store.read('x_stet_approval', server.store.search('x_stet_approval', [['x_move_id', '=', id]], 'id asc'));
    const { id: _, create_uid: __, create_date: ___, write_uid: ____, write_date: _____, ...values } = approved!;
    const clerk = await OdooClient.connect({ url: server.url, database: server.database, username: server.clerk.login, password: server.clerk.password });
    try {
      await clerk.call('x_stet_approval', 'create', [{ ...values, x_amount: 0.01 }]);
      await clerk.call('x_stet_approval', 'create', [values]);
    } finally {
      clerk.close();
    }
    server.store.insert('x_stet_approval', { ...values, x_amount: 0.02, create_uid: server.user('approver2').uid });
    const waiting = await readWaitingBills(odoo);
    expect(waiting.find((b) => b.billId === id)!.approvers).to.equal('Alice Martin, Bruno Lefèvre');
  });
});
