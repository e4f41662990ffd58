import { expect } from 'chai';
import { registerPayment } from '../../connector/odoo/register-payment.js';
import { adminClient, devOdoo, TODAY } from './helpers.js';

for (const version of [16, 17, 18] as const) {
  describe(`register an executed payment in Odoo ${version}`, () => {
    it('registers once: bill paid, residual 0, payment with the end-to-end id; the second call changes nothing', async () => {
      const server = await devOdoo({ version, seed: { invoices: 30, seed: 2, today: TODAY } });
      const client = await adminClient(server, { install: true });
      try {
        const billId = server.seedInfo!.billIds.find((id) => !server.seedInfo!.problems[id])!;
        const opts = { billId, journalId: server.seedInfo!.bankJournalId, paymentDate: '2026-03-04', memo: `E2E-${billId}-1` };
        const first = await registerPayment(client, opts);
        expect(first.alreadyPaid).to.equal(false);
        expect(first.paymentId).to.be.a('number');
        const bill = server.store.read('account.move', [billId])[0]!;
        expect(bill).to.deep.include({ payment_state: 'paid', amount_residual: 0 });
        const payment = server.store.read('account.payment', [first.paymentId!])[0]!;
        expect(payment[version >= 18 ? 'memo' : 'ref']).to.equal(opts.memo);
        expect(payment).to.deep.include({ date: '2026-03-04', journal_id: opts.journalId, payment_type: 'outbound', state: version >= 18 ? 'in_process' : 'posted' });

        server.resetCalls();
        const second = await registerPayment(client, opts);
        expect(second).to.deep.equal({ paymentId: first.paymentId, alreadyPaid: true });
        expect(server.calls()['account.payment.register.create'] ?? 0).to.equal(0);
        expect(server.store.allIds('account.payment')).to.have.length(1);
      } finally {
        client.close();
        await server.close();
      }
    });
  });
}
