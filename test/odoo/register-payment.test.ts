import { expect } from 'chai';
import { OdooConnectionError } from '../../connector/odoo/errors.js';
import type { OdooClient } from '../../connector/odoo/odoo-client.js';
import { registerPayment, registerPayments, type RegisterPaymentOptions } from '../../connector/odoo/register-payment.js';
import type { OdooVersion, RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { clerkClient, devOdoo, TODAY } from './helpers.js';

/** A seeded dev server with the fields installed, for one test, as the daily invoicing user. */
async function withOdoo(version: OdooVersion, invoices: number, test: (server: RunningOdooDevServer, client: OdooClient) => Promise<void>): Promise<void> {
  const server = await devOdoo({ version, seed: { invoices, seed: 2, today: TODAY } });
  const client = await clerkClient(server, { install: true });
  try {
    await test(server, client);
  } finally {
    client.close();
    await server.close();
  }
}

/** The registration of bill `billId`'s first attempt, paid on 2026-03-04 from the seeded bank journal. */
const itemOf = (server: RunningOdooDevServer) => (billId: number): RegisterPaymentOptions => ({ billId, journalId: server.seedInfo!.bankJournalId, paymentDate: '2026-03-04', memo: `E2E-${billId}-1` });

/** The client, but the answer to action_create_payments is lost: after Odoo ran it (`after`) or before it reached Odoo. */
function losingAnswers(client: OdooClient, when: 'after' | 'before'): OdooClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'callMaybeNone') return Reflect.get(target, prop, receiver);
      return async (model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>) => {
        if (method !== 'action_create_payments') return target.callMaybeNone(model, method, args, kwargs);
        if (when === 'after') await target.callMaybeNone(model, method, args, kwargs);
        const e = new OdooConnectionError('Odoo did not answer account.payment.register.action_create_payments within 5000 ms');
        e.maybeDone = true;
        throw e;
      };
    },
  });
}

for (const version of [16, 17, 18] as const) {
  describe(`register executed payments in Odoo ${version}`, () => {
    it('registers once: bill paid, residual 0, payment with the end-to-end id; the second call changes nothing', () =>
      withOdoo(version, 30, async (server, client) => {
        const billId = server.seedInfo!.billIds.find((id) => !server.seedInfo!.problems[id])!;
        const opts = itemOf(server)(billId);
        server.resetCalls();
        const first = await registerPayment(client, opts);
        expect(server.calls().total).to.equal(5); // memos, bill, wizard create and run, the payment's bill
        expect(first.alreadyPaid).to.equal(false);
        expect(first.paymentId).to.be.a('number');
        const bill = server.store.read('account.move', [billId])[0]!;
        expect(bill).to.deep.include({ payment_state: 'paid', amount_residual: 0 });
        const payment = server.store.read('account.payment', [first.paymentId!])[0]!;
        expect(payment[version >= 18 ? 'memo' : 'ref']).to.equal(opts.memo);
        expect(payment).to.deep.include({ date: '2026-03-04', journal_id: opts.journalId, payment_type: 'outbound', state: version >= 18 ? 'paid' : 'posted' });

        server.resetCalls();
        const second = await registerPayment(client, opts);
        expect(second).to.deep.equal({ paymentId: first.paymentId, alreadyPaid: true });
        expect(server.calls()).to.deep.equal({ total: 1, execute_kw: 1, 'account.payment.search_read': 1 });
        expect(server.store.allIds('account.payment')).to.have.length(1);
      }));

    it('REG-BATCH a batch is one wizard on many bills (group_payment False: one payment per bill) and one memo load: 6 calls for 3 bills; each payment made once with its end-to-end id', () =>
      withOdoo(version, 60, async (server, client) => {
        const info = server.seedInfo!;
        const [a, b, c] = info.billIds.filter((id) => !info.problems[id]);
        const paid = info.billIds.find((id) => info.problems[id] === 'paid')!;
        const item = itemOf(server);
        const items = [item(a!), item(paid), item(b!), item(c!), item(a!)]; // the same payment twice
        server.resetCalls();
        const out = await registerPayments(client, items);
        const calls = server.calls();
        expect(calls).to.deep.equal({
          total: 6, execute_kw: 6,
          'account.payment.search_read': 1, 'account.move.search_read': 1, 'account.payment.register.create': 1,
          'account.payment.register.action_create_payments': 1, 'account.payment.read': 1, 'account.payment.load': 1,
        });
        const memo = version >= 18 ? 'memo' : 'ref';
        const paymentOf = (billId: number): number => server.store.search('account.payment', [[memo, '=', `E2E-${billId}-1`]])[0]!;
        expect(out).to.deep.equal([
          { billId: a, memo: `E2E-${a}-1`, ok: true, paymentId: paymentOf(a!), alreadyPaid: false },
          { billId: paid, memo: `E2E-${paid}-1`, ok: true, paymentId: null, alreadyPaid: true },
          { billId: b, memo: `E2E-${b}-1`, ok: true, paymentId: paymentOf(b!), alreadyPaid: false },
          { billId: c, memo: `E2E-${c}-1`, ok: true, paymentId: paymentOf(c!), alreadyPaid: false },
          { billId: a, memo: `E2E-${a}-1`, ok: true, paymentId: paymentOf(a!), alreadyPaid: false },
        ]);
        expect(server.store.allIds('account.payment')).to.have.length(3);
        for (const id of [a!, b!, c!]) expect(server.store.read('account.move', [id])[0]).to.deep.include({ payment_state: 'paid', amount_residual: 0 });

        server.resetCalls();
        const again = await registerPayments(client, items);
        expect(again.map((o) => o.ok && o.alreadyPaid)).to.deep.equal([true, true, true, true, true]);
        expect(server.calls().total).to.equal(2); // the memos, then the one bill without a payment (paid before stetpay)
        expect(server.calls()['account.payment.register.create'] ?? 0).to.equal(0);
        expect(server.store.allIds('account.payment')).to.have.length(3);
      }));

    it('REG-BATCH-LOST a batch whose answer was lost after Odoo ran it: its payments are found by journal, date and supplier, given their memos, never made twice', () =>
      withOdoo(version, 30, async (server, client) => {
        const info = server.seedInfo!;
        const [a, b] = info.billIds.filter((id) => !info.problems[id]);
        const item = itemOf(server);
        const out = await registerPayments(losingAnswers(client, 'after'), [item(a!), item(b!)]);
        expect(out.map((o) => o.ok && !o.alreadyPaid)).to.deep.equal([true, true]);
        const memo = version >= 18 ? 'memo' : 'ref';
        for (const [o, id] of [[out[0]!, a!], [out[1]!, b!]] as const) expect(server.store.value('account.payment', (o as { paymentId: number }).paymentId, memo)).to.equal(`E2E-${id}-1`);
        expect(server.store.allIds('account.payment')).to.have.length(2);
        const again = await registerPayments(client, [item(a!), item(b!)]);
        expect(again.map((o) => o.ok && o.alreadyPaid)).to.deep.equal([true, true]);
        expect(server.store.allIds('account.payment')).to.have.length(2);
      }));

    if (version >= 18) {
      it('REG-BATCH-ALONE a wizard Odoo refuses for one bill (blocked) is run again bill by bill: the others are paid, the blocked one fails with Odoo\'s reason', () =>
        withOdoo(version, 30, async (server, client) => {
          const info = server.seedInfo!;
          const [a, blocked, b] = info.billIds.filter((id) => !info.problems[id]);
          server.store.update('account.move', blocked!, { payment_state: 'blocked' });
          const item = itemOf(server);
          server.resetCalls();
          const out = await registerPayments(client, [item(a!), item(blocked!), item(b!)]);
          expect(out.map((o) => o.ok)).to.deep.equal([true, false, true]);
          expect(!out[1]!.ok && (out[1]!.error as Error).message).to.match(/You cannot register payments for blocked bills/);
          // the batch's wizard (refused at create), then one per bill: a and b made, the blocked one refused
          expect(server.calls()['account.payment.register.create']).to.equal(4);
          expect(server.calls()['account.payment.register.action_create_payments']).to.equal(2);
          expect(server.store.allIds('account.payment')).to.have.length(2);
          for (const [o, id] of [[out[0]!, a!], [out[2]!, b!]] as const) expect(server.store.value('account.payment', (o as { paymentId: number }).paymentId, 'memo')).to.equal(`E2E-${id}-1`);
        }));
    }

    it('a lost answer is settled by reading again, never by registering again; a deleted bill fails alone', () =>
      withOdoo(version, 30, async (server, client) => {
        const info = server.seedInfo!;
        const [done, notDone, gone] = info.billIds.filter((id) => !info.problems[id]);
        server.store.remove('account.move', gone!);
        const item = itemOf(server);
        const [made] = await registerPayments(losingAnswers(client, 'after'), [item(done!)]);
        expect(made).to.deep.include({ ok: true, alreadyPaid: false });
        expect(made!.ok && made!.paymentId).to.be.a('number');
        const [unmade, missing] = await registerPayments(losingAnswers(client, 'before'), [item(notDone!), item(gone!)]);
        expect(unmade!.ok).to.equal(false);
        expect(!unmade!.ok && unmade!.error).to.be.instanceOf(OdooConnectionError);
        expect(missing!.ok).to.equal(false);
        expect(!missing!.ok && (missing!.error as Error).message).to.equal(`Bill ${gone} is not in Odoo any more: payment E2E-${gone}-1 cannot be registered on it; record it by hand`);
        expect(server.store.allIds('account.payment')).to.have.length(1);
        // the next sync registers the one whose answer was lost before it ran, once
        const [retried] = await registerPayments(client, [item(notDone!)]);
        expect(retried).to.deep.include({ ok: true, alreadyPaid: false });
        expect(server.store.allIds('account.payment')).to.have.length(2);
      }));
  });
}
