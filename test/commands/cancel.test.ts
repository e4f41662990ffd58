import { expect } from 'chai';
import type { OdooClient } from '../../connector/odoo/index.js';
import { getBankProfile } from '../../connector/profiles/index.js';
import type { StetClient } from '../../connector/stet/index.js';
import { cancelPayment, CancelRefusedError } from '../../plugin/cancel/index.js';
import type { RunningBankSandbox } from '../../sandbox/bank/index.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { paymentRequest } from '../bank/fixtures.js';
import { billRecord, notesOf, odooAndRedisPerSuite, queuedValues, setBill } from './support.js';
import { CLAIM, StetpayQueues } from '../../worker/index.js';
import { sandboxAndClientPerSuite } from '../bank/harness.js';

const LATER = new Date('2026-03-02T10:30:00Z');

async function refusal(p: Promise<unknown>): Promise<CancelRefusedError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).to.be.instanceOf(CancelRefusedError);
  return e as CancelRefusedError;
}

describe('commands: stetpay cancel (real Odoo dev server, real bank sandbox)', () => {
  let server: RunningOdooDevServer;
  let odoo: OdooClient;
  let queues: StetpayQueues;
  let bills: number[];
  let next = 0;
  const bill = () => bills[next++]!;

  odooAndRedisPerSuite(30, (fx) => ({ server, client: odoo, queues, bills } = fx));

  /** A payment the sandbox holds, recorded on a bill as the worker records a 201. */
  async function sentBill(sb: RunningBankSandbox, bank: StetClient, status: 'submitted' | 'accepted' = 'submitted'): Promise<{ billId: number; resourceId: string }> {
    const billId = bill();
    const created = await bank.paymentRequests.create(paymentRequest({ now: sb.now(), inDays: 2 }));
    const resourceId = created.meta.resourceId as string;
    await setBill(odoo, billId, { ...queuedValues(server.database, billId), x_stet_status: status, x_stet_resource_id: resourceId, x_stet_bank_status: 'RCVD' });
    return { billId, resourceId };
  }

  function unchanged(billId: number, before: Record<string, unknown>, notes: number): void {
    const now = billRecord(server, billId);
    for (const k of ['x_stet_status', 'x_stet_bank_status', 'x_stet_status_reason', 'x_stet_updated_at']) expect(now[k], k).to.deep.equal(before[k]);
    expect(notesOf(server, billId)).to.have.length(notes);
  }

  describe('stet-1.6 profile', () => {
    let sb: RunningBankSandbox;
    let bank: StetClient;
    const profile = getBankProfile('stet-1.6');
    sandboxAndClientPerSuite((b) => ({ sb, client: bank } = b), { profile: 'stet-1.6', startTime: new Date('2030-03-13T11:00:00Z') });

    it('CANCEL-01 a submitted payment is cancelled at the bank (PUT CANC + DS02) and recorded cancelled in Odoo once the bank confirms', async () => {
      const { billId, resourceId } = await sentBill(sb, bank);
      const name = String(billRecord(server, billId).name);
      const r = await cancelPayment({ odoo, bank, profile, ledger: queues.ledger, now: () => LATER }, name);
      expect(r.kind).to.equal('cancelled');
      // the run's resubmission guard reads the ledger: a cancelled payment may be sent anew
      const pid = String(billRecord(server, billId).x_stet_payment_information_id);
      expect(await queues.ledger.get(pid)).to.include({ state: 'final', status: 'cancelled', resourceId });
      expect(billRecord(server, billId).x_stet_closed_attempt).to.equal(1);
      const put = sb.requests().filter((q) => q.method === 'PUT');
      expect(put.at(-1)?.status).to.equal(200);
      expect((await bank.paymentRequests.retrieve(resourceId)).body.paymentRequest).to.include({ paymentInformationStatus: 'CANC', statusReasonInformation: 'DS02' });
      const rec = billRecord(server, billId);
      expect(rec).to.include({ x_stet_status: 'cancelled', x_stet_bank_status: 'CANC', x_stet_updated_at: '2026-03-02 10:30:00' });
      expect(String(rec.x_stet_status_reason)).to.include('Cancelled at the bank on 2026-03-02 10:30:00 UTC');
      expect(notesOf(server, billId).some((n) => n.includes(`cancelled at the bank, which confirms CANC`))).to.equal(true);
    });

    it('CANCEL-02 the numeric bill id works too; once accepted for execution (ACSP) the bank answers 409: refused, nothing changed', async () => {
      const { billId, resourceId } = await sentBill(sb, bank, 'accepted');
      sb.consent(resourceId, true);
      await bank.paymentRequests.confirm(resourceId); // ACSP
      const before = billRecord(server, billId);
      const notes = notesOf(server, billId).length;
      const e = await refusal(cancelPayment({ odoo, bank, profile, now: () => LATER }, String(billId)));
      expect(e.refusal).to.equal('too_late');
      expect(e.message).to.include('the bank refused the cancellation: the payment is already accepted for execution or executed');
      expect(sb.requests().filter((q) => q.method === 'PUT').at(-1)?.status).to.equal(409);
      unchanged(billId, before, notes);
    });

    it('CANCEL-03 a final payment cannot be cancelled: refused before any bank call, nothing changed', async () => {
      for (const status of ['executed', 'rejected', 'cancelled', 'expired', 'invalid', 'exported'] as const) {
        const billId = bill();
        await setBill(odoo, billId, { ...queuedValues(server.database, billId), x_stet_status: status, x_stet_resource_id: status === 'exported' || status === 'invalid' ? false : 'RES-X' });
        const before = billRecord(server, billId);
        const calls = sb.requests().length;
        const e = await refusal(cancelPayment({ odoo, bank, profile }, String(billId)));
        expect(e.refusal, status).to.equal('final');
        expect(e.message).to.include('Nothing was changed');
        expect(sb.requests().length).to.equal(calls);
        unchanged(billId, before, 0);
      }
    });

    it('CANCEL-04 a queued payment not sent yet is stopped: its ids retired against a worker\'s claim, its job removed, cancelled in Odoo with who and when', async () => {
      const billId = bill();
      await setBill(odoo, billId, queuedValues(server.database, billId));
      const pid = String(billRecord(server, billId).x_stet_payment_information_id);
      const e2e = String(billRecord(server, billId).x_stet_end_to_end_id);
      await queues.submit.add('submit-payment', { billId } as never, { jobId: pid, delay: 3_600_000 });
      const r = await cancelPayment({ odoo, bank, profile, ledger: queues.ledger, queue: queues.submit, by: 'Ana Treasurer', now: () => LATER }, String(billId));
      expect(r.kind).to.equal('cancelled');
      expect(await queues.submit.getJobState(pid)).to.equal('unknown');
      expect(await queues.ledger.get(pid)).to.include({ state: 'final', status: 'cancelled' });
      // a worker taking it anyway (a job read before the removal) is refused: its claim answers "done"
      expect(await queues.ledger.claim({ paymentInformationId: pid, token: 'late-worker', billId, endToEndId: e2e })).to.equal(CLAIM.DONE);
      const rec = billRecord(server, billId);
      expect(rec).to.include({ x_stet_status: 'cancelled', x_stet_closed_attempt: 1 });
      expect(String(rec.x_stet_status_reason)).to.equal(
        `Cancelled before it was sent, by Ana Treasurer on 2026-03-02 10:30:00 UTC (stetpay cancel): nothing reached the bank and payment ${e2e} is never sent. To pay the bill later, run stetpay retry ${rec.name}.`,
      );
      expect(sb.requests().filter((q) => q.method === 'PUT' || q.method === 'POST').filter((q) => q.paymentInformationId === pid)).to.deep.equal([]);
    });

    it('CANCEL-07 a queued payment a worker is sending right now is refused (nothing changed); one whose earlier try may have reached the bank is stopped as needs_review', async () => {
      const [sending, uncertain] = [bill(), bill()];
      for (const id of [sending, uncertain]) await setBill(odoo, id, queuedValues(server.database, id));
      const pidOf = (id: number) => String(billRecord(server, id).x_stet_payment_information_id);
      await queues.ledger.claim({ paymentInformationId: pidOf(sending), token: 'live', billId: sending, endToEndId: 'E' });
      const e = await refusal(cancelPayment({ odoo, bank, profile, ledger: queues.ledger, queue: queues.submit }, String(sending)));
      expect(e.refusal).to.equal('in_flight');
      expect(e.message).to.include('a worker is sending payment').and.include('Nothing was changed');
      expect(billRecord(server, sending).x_stet_status).to.equal('queued');
      expect(await queues.ledger.get(pidOf(sending))).to.include({ state: 'sending', token: 'live' });

      await queues.ledger.markUncertain(pidOf(uncertain), uncertain, 'E', 'no_trace');
      const r = await cancelPayment({ odoo, bank, profile, ledger: queues.ledger, queue: queues.submit, by: 'Ana' }, String(uncertain));
      expect(r.kind).to.equal('needs_review');
      expect(billRecord(server, uncertain).x_stet_status).to.equal('needs_review');
      expect(await queues.ledger.get(pidOf(uncertain))).to.include({ state: 'final', status: 'needs_review' });
    });

    it('CANCEL-05 an unknown bill number and a bill stetpay never touched are refused clearly', async () => {
      const e1 = await cancelPayment({ odoo, bank, profile }, 'BILL/1999/01/0001').catch((e: unknown) => e as Error);
      expect((e1 as Error).message).to.equal("no vendor bill is numbered 'BILL/1999/01/0001' in Odoo: check the number (e.g. BILL/2026/11/0001) or give the bill's id");
      const e2 = await refusal(cancelPayment({ odoo, bank, profile }, String(bill())));
      expect(e2.refusal).to.equal('not_tracked');
    });
  });

  describe('nwm-18919 profile', () => {
    let sb: RunningBankSandbox;
    let bank: StetClient;
    const profile = getBankProfile('nwm-18919');
    sandboxAndClientPerSuite((b) => ({ sb, client: bank } = b), { profile: 'nwm-18919', startTime: new Date('2030-03-13T11:00:00Z') });

    it('CANCEL-06 the profile has no cancellation, so no PUT is sent (the bank would answer 405): "cancel it in online banking", nothing changed in Odoo or at the bank', async () => {
      const { billId, resourceId } = await sentBill(sb, bank);
      const before = billRecord(server, billId);
      const notes = notesOf(server, billId).length;
      const e = await refusal(cancelPayment({ odoo, bank, profile, now: () => LATER }, String(billId)));
      expect(e.refusal).to.equal('not_supported');
      expect(e.message).to.include('this bank does not accept cancellation through its API: cancel it in online banking');
      expect(sb.requests().filter((q) => q.method === 'PUT')).to.deep.equal([]);
      expect((await bank.paymentRequests.retrieve(resourceId)).body.paymentRequest.paymentInformationStatus).to.not.equal('CANC');
      unchanged(billId, before, notes);
    });
  });
});
