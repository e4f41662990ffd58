/**
 * Requests of several transfers, the never-twice rules per request and per
 * transfer (real Redis and BullMQ; the worker tests' recording Odoo and
 * bank): a bill changed after reservation stops its whole request before any
 * POST (never content other than recorded; the others go back among the
 * approved bills), the sweeper rebuilds a lost request from the parts Odoo
 * recorded on its bills, or retires it when one is missing.
 */
import { expect } from 'chai';
import type { Job } from 'bullmq';
import type { PaymentRequestResource } from '../../connector/model/index.js';
import { bulkPaymentId, combineRequests, groupTransfers, joinParts, requestMembers, requestParts, requestText } from '../../connector/rules/index.js';
import { enqueuePayments } from '../../worker/enqueue-payments.js';
import { StetpayQueues } from '../../worker/stetpay-queues.js';
import { createSubmitWorker, type SubmitWorkerHandle } from '../../worker/submit-worker.js';
import { sweepQueuedBills } from '../../worker/sweeper.js';
import type { SubmitJobData } from '../../worker/submit-job.js';
import { WritebackDrainer } from '../../worker/writeback/writeback-drainer.js';
import type { TestRedis } from '../support/redis-server.js';
import { paymentJob, RecordingBank, RecordingOdoo, reservedBill, waitFor } from '../worker/support.js';
import { queuesPerTest } from '../support/redis-per-suite.js';

/** A request of the bills `ns` (as the run makes it), and each bill's record in Odoo. */
function bulkJob(ns: number[]): SubmitJobData {
  const singles = ns.map((n) => paymentJob(n));
  const pid = bulkPaymentId('test', ns[0]!, 1);
  const request = combineRequests(singles.map((s) => s.request), pid, { successfulReportUrl: 'https://stetpay.test/ok' });
  delete (request.supplementaryData as { successfulReportUrl?: string }).successfulReportUrl;
  return { billId: ns[0]!, billName: singles[0]!.billName, database: 'test', attempt: 1, request, executionDate: '2026-11-27', bills: singles.map((s) => ({ billId: s.billId, billName: s.billName, attempt: 1 })) };
}

function reserveBulk(odoo: RecordingOdoo, job: SubmitJobData): void {
  const members = requestMembers(job.request);
  requestParts(job.request).forEach((part, i) => {
    const bill = job.bills![i]!;
    const one = { ...job, billId: bill.billId, billName: bill.billName, request: part, bills: undefined };
    odoo.reserve(one);
    odoo.reserved.set(bill.billId, { ...reservedBill(one), members });
  });
}

describe('requests of several transfers: never twice per request and per transfer (real Redis)', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let queues: StetpayQueues;
  let odoo: RecordingOdoo;
  let bank: RecordingBank;
  let handles: SubmitWorkerHandle[];

  queuesPerTest(
    (q) => ({ redis, queues } = q),
    () => Promise.all(handles.map((h) => h.close())),
  );
  beforeEach(() => {
    odoo = new RecordingOdoo();
    bank = new RecordingBank();
    handles = [];
  });
  const startWorker = () => {
    const h = createSubmitWorker({ connection: redis.url, prefix: queues.prefix, requestsPerSecond: 100, backoff: { baseDelayMs: 20, maxDelayMs: 100 } }, { bank, odoo, odooRetryMs: 100 });
    handles.push(h);
    return h;
  };
  async function settled(pid: string): Promise<Job> {
    await waitFor(async () => ['completed', 'failed'].includes(await queues.submit.getJobState(pid)), 10_000, `job ${pid}`);
    return (await queues.submit.getJob(pid))!;
  }
  const flush = () => new WritebackDrainer(queues.redis, odoo, { prefix: queues.prefix }).flush();

  it('BULK-01 the parts recorded on the bills join back into the request sent, byte for byte; parts of different requests, or too few, do not join', () => {
    const job = bulkJob([1, 2, 3]);
    const parts = requestParts(job.request);
    expect(parts.map((p) => p.creditTransferTransaction.map((t) => t.paymentId.endToEndId))).to.deep.equal([1, 2, 3].map((n) => [paymentJob(n).ids.endToEndId]));
    expect(parts.every((p) => p.paymentInformationId === job.request.paymentInformationId && p.numberOfTransactions === 3)).to.equal(true);
    expect(requestText(joinParts(parts))).to.equal(requestText(job.request));
    expect(() => joinParts(parts.slice(0, 2))).to.throw(`payment ${job.request.paymentInformationId} holds 3 transfers, 2 were recorded`);
    const other = requestParts(bulkJob([4, 5, 6]).request);
    expect(() => joinParts([parts[0]!, parts[1]!, other[2]!])).to.throw('do not belong to one request');
    expect(groupTransfers([1, 2, 3, 4, 5], (n) => (n % 2 ? 'odd' : 'even'), 2)).to.deep.equal([[1, 3], [2, 4], [5]]);
    expect(groupTransfers([1, 2, 3], () => 'one', 1), 'NWM: one transfer per request').to.deep.equal([[1], [2], [3]]);
  });

  it('BULK-02 one POST for the request; each bill gets its own submitted update (its end-to-end id), the request\'s resource id and consent link; the ledger holds one entry for the request', async () => {
    const job = bulkJob([1, 2, 3]);
    reserveBulk(odoo, job);
    await enqueuePayments(queues.submit, [job]);
    startWorker();
    const done = await settled(job.request.paymentInformationId);
    expect(done.returnvalue).to.include({ kind: 'posted', status: 'submitted', resourceId: 'RES-1' });
    expect(bank.posts).to.have.length(1);
    expect((JSON.parse(bank.posts[0]!.body) as PaymentRequestResource).numberOfTransactions).to.equal(3);
    await flush();
    for (const n of [1, 2, 3]) expect(odoo.bills.get(n)).to.include({ status: 'submitted', resourceId: 'RES-1', consentUrl: 'https://bank.test/consent/RES-1', endToEndId: paymentJob(n).ids.endToEndId, paymentInformationId: job.request.paymentInformationId });
    expect(await queues.ledger.get(job.request.paymentInformationId)).to.include({ state: 'sent', claims: 1 });
  });

  it('BULK-03 a bill changed after reservation stops its whole request before any POST: that bill withdrawn, the others back among the approved ones (attempt closed, the reason naming the changed bill), the request\'s ids retired', async () => {
    const job = bulkJob([1, 2, 3]);
    reserveBulk(odoo, job);
    odoo.reserved.set(2, { ...odoo.reserved.get(2)!, approved: false });
    await enqueuePayments(queues.submit, [job]);
    startWorker();
    const done = await settled(job.request.paymentInformationId);
    expect(done.returnvalue).to.include({ kind: 'withdrawn', status: 'withdrawn' });
    expect(bank.posts).to.deep.equal([]);
    await flush();
    expect(odoo.bills.get(2)).to.include({ status: 'withdrawn', closedAttempt: 1 });
    expect(odoo.bills.get(2)!.reason).to.contain('its approval for bank payment was withdrawn');
    for (const n of [1, 3]) {
      const b = odoo.bills.get(n)!;
      expect(b, `bill ${n}`).to.include({ status: null, closedAttempt: 1, resourceId: null });
      expect(b.reason).to.equal(
        `Bill ${paymentJob(n).billName}: payment ${paymentJob(n).ids.endToEndId} was not sent: it was one of the 3 transfers of payment ${job.request.paymentInformationId}, ` +
          `and bill ${paymentJob(2).billName} (its approval for bank payment was withdrawn) changed after reservation. Nothing reached the bank and these ids are never sent; the bill is back among the approved ones and the next run sends it in a new payment.`,
      );
    }
    expect(await queues.ledger.get(job.request.paymentInformationId)).to.include({ state: 'final', status: 'withdrawn' });
  });

  it('BULK-04 the transfers recorded on a bill must be those of the request: a bill recording another composition is not sent', async () => {
    const job = bulkJob([1, 2, 3]);
    reserveBulk(odoo, job);
    odoo.reserved.set(3, { ...odoo.reserved.get(3)!, members: requestMembers(job.request).slice(0, 2) });
    await enqueuePayments(queues.submit, [job]);
    startWorker();
    await settled(job.request.paymentInformationId);
    expect(bank.posts).to.deep.equal([]);
    await flush();
    expect(odoo.bills.get(3)!.reason).to.contain('the transfers of its bank request are not those recorded at reservation');
  });

  it('BULK-05 after Redis lost everything the sweeper rebuilds the request from the parts recorded on its bills, byte for byte, noting the bank may have it; with one of its bills no longer queued under it, the request is never sent as recorded (Redis lost its trace: the others are needs_review)', async () => {
    const job = bulkJob([1, 2, 3]);
    reserveBulk(odoo, job);
    const sweep = () => sweepQueuedBills({ odoo, ledger: queues.ledger, submitQueue: queues.submit, writeback: queues.writeback, database: 'test' });
    const s = await sweep();
    expect(s.reenqueued).to.deep.equal([1, 2, 3]);
    const rebuilt = (await queues.submit.getJob(job.request.paymentInformationId))!.data;
    expect(requestText(rebuilt.request)).to.equal(requestText(job.request));
    expect(rebuilt.bills).to.deep.equal(job.bills);
    expect(await queues.ledger.get(job.request.paymentInformationId)).to.include({ state: 'sending', uncertain: true, evidence: 'no_trace' });

    // Another request; a person cleared one of its bills' status: it is never sent as recorded.
    await queues.redis.flushall();
    const other = bulkJob([4, 5, 6]);
    reserveBulk(odoo, other);
    for (const n of [1, 2, 3]) odoo.bills.get(n)!.status = 'submitted';
    odoo.bills.get(5)!.status = null;
    const s2 = await sweep();
    expect(s2.reenqueued).to.deep.equal([]);
    expect(await queues.submit.getJobState(other.request.paymentInformationId)).to.equal('unknown');
    await flush();
    // Redis had no trace: the bank may have it, so the two queued bills are needs_review, never re-sent.
    for (const n of [4, 6]) expect(odoo.bills.get(n), `bill ${n}`).to.include({ status: 'needs_review' });
    expect(odoo.bills.get(4)!.reason).to.contain(`${paymentJob(5).ids.endToEndId} of it is no longer queued under it`);
    expect(bank.posts).to.deep.equal([]);
  });
});
