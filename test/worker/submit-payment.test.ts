import { expect } from 'chai';
import type { Job } from 'bullmq';
import { BankDuplicateError, BankRateLimitedError, BankRejectedError, BankTransientError, BankUnauthorizedError, markRequestNotSent } from '../../connector/stet/errors/bank-error.js';
import { enqueuePayments } from '../../worker/enqueue-payments.js';
import { StetpayQueues } from '../../worker/stetpay-queues.js';
import { createSubmitWorker, type SubmitWorkerHandle } from '../../worker/submit-worker.js';
import type { WritebackItem } from '../../worker/writeback/writeback-queue.js';
import type { TestRedis } from '../support/redis-server.js';
import { paymentJob, RecordingBank, RecordingOdoo, waitFor } from './support.js';
import { queuesPerTest } from '../support/redis-per-suite.js';

describe('submit processor (real BullMQ workers on real Redis)', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let queues: StetpayQueues;
  let bank: RecordingBank;
  let handles: SubmitWorkerHandle[];
  let prefix: string;

  queuesPerTest(
    (q) => ({ redis, queues, prefix } = q),
    () => Promise.all(handles.map((h) => h.close())),
  );
  beforeEach(() => {
    bank = new RecordingBank();
    handles = [];
  });

  function startWorker(over: Partial<Parameters<typeof createSubmitWorker>[0]> = {}, odoo?: RecordingOdoo) {
    const h = createSubmitWorker({ connection: redis.url, prefix, backoff: { baseDelayMs: 20, maxDelayMs: 100 }, requestsPerSecond: 100, ...over }, { bank, odoo, odooRetryMs: 100 });
    handles.push(h);
    return h;
  }
  async function settled(pid: string): Promise<Job> {
    await waitFor(async () => {
      const s = await queues.submit.getJobState(pid);
      return s === 'completed' || s === 'failed';
    }, 10_000, `job ${pid} to settle`);
    // read once settled: a job read before it finished carries no return value
    return (await queues.submit.getJob(pid))!;
  }
  async function pendingWriteback(): Promise<WritebackItem[]> {
    return (await queues.redis.lrange(queues.writeback.key, 0, -1)).map((r) => JSON.parse(r) as WritebackItem);
  }

  it('RETENTION-01 finished jobs are bounded by age and count on the worker, not in each stored job', async () => {
    const h = startWorker();
    await enqueuePayments(queues.submit, [paymentJob(9001)]);
    await waitFor(async () => (await queues.submit.getJobState(paymentJob(9001).request.paymentInformationId)) === 'completed');
    const job = await queues.submit.getJob(paymentJob(9001).request.paymentInformationId);
    expect(job!.opts).to.not.have.any.keys('removeOnComplete', 'removeOnFail');
    expect(h.worker.opts.removeOnComplete).to.deep.equal({ age: 7 * 24 * 3600, count: 10_000 });
    expect(h.worker.opts.removeOnFail).to.deep.equal({ age: 30 * 24 * 3600, count: 50_000 });
  });

  it('SUBMIT-01 posts once, records the resource id and hands a submitted update to the write-back', async () => {
    const p = paymentJob(1);
    await enqueuePayments(queues.submit, [p]);
    startWorker();
    const job = await settled(p.ids.paymentInformationId);
    expect(job.returnvalue).to.include({ kind: 'posted', status: 'submitted', resourceId: 'RES-1' });
    expect(bank.posts).to.have.length(1);
    expect(await queues.ledger.get(p.ids.paymentInformationId)).to.include({ state: 'sent', resourceId: 'RES-1' });
    const [item] = await pendingWriteback();
    expect(item!.update.billId).to.equal(1);
    expect(item!.update.values).to.include({
      x_stet_status: 'submitted',
      x_stet_resource_id: 'RES-1',
      x_stet_consent_url: 'https://bank.test/consent/RES-1',
      x_stet_end_to_end_id: p.ids.endToEndId,
      x_stet_payment_information_id: p.ids.paymentInformationId,
    });
  });

  it('SUBMIT-02 a retry after 5xx / time-out re-sends byte-identical body and ids', async () => {
    const p = paymentJob(2);
    bank.script = [new BankTransientError('503', { status: 503 }), new BankTransientError('timeout')];
    await enqueuePayments(queues.submit, [p]);
    startWorker();
    const job = await settled(p.ids.paymentInformationId);
    expect(job.returnvalue.status).to.equal('submitted');
    expect(bank.posts).to.have.length(3);
    expect(new Set(bank.posts.map((x) => x.body)).size).to.equal(1);
    expect(JSON.parse(bank.posts[2]!.body).creditTransferTransaction[0].paymentId.endToEndId).to.equal(p.ids.endToEndId);
    expect(job.attemptsMade).to.equal(3); // two failed tries + the one that worked
  });

  it('SUBMIT-03 a 429 storm waits on the shared rate limit and spends no attempt', async () => {
    const p = paymentJob(3);
    bank.script = [1, 2, 3, 4].map(() => new BankRateLimitedError('TMRQ', { status: 429, retryAfterMs: 40 }));
    await enqueuePayments(queues.submit, [p], { attempts: 2 });
    startWorker();
    const job = await settled(p.ids.paymentInformationId);
    expect(job.returnvalue.status).to.equal('submitted');
    expect(bank.posts).to.have.length(5);
    // attempts: 2, yet 4 refusals then success: the 429s spent none (only the final try counts)
    expect(job.attemptsMade).to.equal(1);
  });

  it('SUBMIT-04 a rejection is an outcome: job completed, bill rejected with the bank reason, never re-sent', async () => {
    const p = paymentJob(4);
    bank.script = [new BankRejectedError('400', { status: 400, stetCode: 'FF01', field: 'creditorAccount.iban', bankMessage: 'Invalid IBAN' })];
    await enqueuePayments(queues.submit, [p]);
    startWorker();
    const job = await settled(p.ids.paymentInformationId);
    expect(await job.getState()).to.equal('completed');
    expect(job.returnvalue).to.include({ kind: 'rejected', status: 'rejected' });
    const [item] = await pendingWriteback();
    expect(item!.update.values.x_stet_status).to.equal('rejected');
    expect(item!.update.values.x_stet_bank_status).to.equal('FF01');
    expect(item!.update.values.x_stet_status_reason).to.match(/Invalid IBAN.*code FF01, field creditorAccount\.iban/);
    expect(await queues.ledger.get(p.ids.paymentInformationId)).to.include({ state: 'final', status: 'rejected' });
  });

  it('SUBMIT-15 a re-send the bank refuses (after a try that may have reached it) is needs_review, never rejected', async () => {
    const p = paymentJob(15);
    // 1st try: answer lost (the bank may have it); 2nd: refused on a rule it checks before duplicates (NWM-03 after midnight).
    bank.script = [
      new BankTransientError('connection reset after send'),
      new BankRejectedError('400', { status: 400, stetCode: 'FF01', field: 'requestedExecutionDate', bankMessage: 'Requested execution date is in the past' }),
    ];
    await enqueuePayments(queues.submit, [p]);
    startWorker();
    const job = await settled(p.ids.paymentInformationId);
    expect(job.returnvalue).to.include({ kind: 'needs_review', status: 'needs_review' });
    expect(bank.posts.map((x) => x.body)).to.have.length(2).and.satisfy((b: string[]) => b[0] === b[1]);
    const [item] = await pendingWriteback();
    expect(item!.update.values.x_stet_status).to.equal('needs_review');
    expect(item!.update.values.x_stet_status_reason).to.equal(
      `The bank refused a re-send of payment ${p.ids.endToEndId} (Requested execution date is in the past (code FF01, field requestedExecutionDate)), ` +
        `but an earlier try may have reached it: check in online banking whether payment ${p.ids.endToEndId} exists before doing anything. ` +
        `Do not resubmit it unless the bank confirms it does not have it.`,
    );
    // the run's guard reads this: a final needs_review forbids a new attempt
    expect(await queues.ledger.get(p.ids.paymentInformationId)).to.include({ state: 'final', status: 'needs_review' });
  });

  it('SUBMIT-05 a duplicate with no known resource id -> needs_review with a clerk explanation, no new id', async () => {
    const p = paymentJob(5);
    bank.script = [new BankTransientError('connection reset after send'), new BankDuplicateError('500 duplicate unique key', { status: 500 })];
    await enqueuePayments(queues.submit, [p]);
    startWorker();
    const job = await settled(p.ids.paymentInformationId);
    expect(job.returnvalue.status).to.equal('needs_review');
    expect(bank.posts.map((x) => x.pid)).to.deep.equal([p.ids.paymentInformationId, p.ids.paymentInformationId]);
    const reason = (await pendingWriteback())[0]!.update.values.x_stet_status_reason as string;
    expect(reason).to.contain(`check in online banking whether payment ${p.ids.endToEndId} exists before doing anything`);
    // RECOVERY-10: Odoo keeps the bank's word, so it outlives Redis
    expect((await pendingWriteback())[0]!.update.values).to.include({ x_stet_status: 'needs_review', x_stet_bank_status: 'DUPLICATE' });
  });

  it('SUBMIT-06 a second enqueue of a completed payment (job removed) does not POST again', async () => {
    const p = paymentJob(6);
    await enqueuePayments(queues.submit, [p]);
    startWorker();
    await settled(p.ids.paymentInformationId);
    await queues.submit.remove(p.ids.paymentInformationId); // retention removed it: the jobId no longer blocks
    await enqueuePayments(queues.submit, [p]);
    const again = await settled(p.ids.paymentInformationId);
    expect(again.returnvalue).to.include({ kind: 'replayed', resourceId: 'RES-1' });
    expect(bank.posts).to.have.length(1);
    const items = await pendingWriteback();
    expect(items[1]!.onlyIfStatus).to.deep.equal(['queued']);
  });

  it('SUBMIT-07 a ledger entry left sending by a dead attempt re-sends the same ids; the bank answers', async () => {
    const p = paymentJob(7);
    // A worker that died mid-call: claim taken long ago, never settled.
    await queues.ledger.claim({ paymentInformationId: p.ids.paymentInformationId, token: 'dead', billId: 7, endToEndId: p.ids.endToEndId });
    await queues.redis.hset(queues.ledger.key(p.ids.paymentInformationId), 'claimedAt', 1);
    await enqueuePayments(queues.submit, [p]);
    startWorker();
    const job = await settled(p.ids.paymentInformationId);
    expect(job.returnvalue.kind).to.equal('posted');
    expect(bank.posts).to.have.length(1);
    expect(await queues.ledger.get(p.ids.paymentInformationId)).to.include({ state: 'sent', claims: 2 });
  });

  it('SUBMIT-08 attempts exhausted with the bank possibly holding it -> needs_review, not a new try', async () => {
    const p = paymentJob(8);
    bank.script = [new BankTransientError('502'), new BankTransientError('502'), new BankTransientError('502')];
    await enqueuePayments(queues.submit, [p], { attempts: 3 });
    startWorker();
    const job = await settled(p.ids.paymentInformationId);
    expect(job.returnvalue.status).to.equal('needs_review');
    expect(bank.posts).to.have.length(3);
    expect(await queues.ledger.get(p.ids.paymentInformationId)).to.include({ state: 'final', status: 'needs_review' });
  });

  /** Two tries that each fail with `failure()`: the bill stays queued and the ledger is freed (nothing can be at the bank). */
  async function neverReached(billId: number, failure: () => Error): Promise<void> {
    const p = paymentJob(billId);
    bank.script = [failure(), failure()];
    await enqueuePayments(queues.submit, [p], { attempts: 2 });
    startWorker();
    const job = await settled(p.ids.paymentInformationId);
    expect(job.returnvalue).to.include({ kind: 'left_queued', status: 'queued' });
    expect(await queues.ledger.get(p.ids.paymentInformationId)).to.equal(null);
  }

  it('SUBMIT-09 attempts exhausted when the bank was never reached -> stays queued, ledger freed for later', async () => {
    await neverReached(9, () => new BankTransientError('connect', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }));
  });

  it('RECOVERY-8 attempts exhausted on a failing token request (503 outage) -> stays queued, ledger freed: nothing was sent, so the export may file it', async () => {
    await neverReached(16, () => markRequestNotSent(new BankTransientError("The bank's token endpoint failed (503: Service Unavailable)", { status: 503 })));
  });

  it('SUBMIT-10 refused credentials fail the job clearly, free the claim and keep the bill queued with a reason', async () => {
    const p = paymentJob(10);
    bank.script = [new BankUnauthorizedError('401 invalid token', { status: 401 })];
    await enqueuePayments(queues.submit, [p]);
    startWorker();
    const job = await settled(p.ids.paymentInformationId);
    expect(await job.getState()).to.equal('failed');
    expect(job.failedReason).to.match(/operator must fix the bank credentials/);
    expect(await queues.ledger.get(p.ids.paymentInformationId)).to.equal(null);
    const [item] = await pendingWriteback();
    expect(item!.update.values).to.include({ x_stet_status: 'queued' });
  });

  it('SUBMIT-11 close() (SIGTERM) lets the in-flight bank call finish and records it', async () => {
    const p = paymentJob(11);
    let started!: () => void;
    const inFlight = new Promise<void>((r) => (started = r));
    bank.script = [
      async () => {
        started();
        await new Promise((r) => setTimeout(r, 400));
        return { resourceId: 'RES-SLOW', consentUrl: 'https://bank.test/c/slow', requestId: 'r', status: 201 };
      },
    ];
    await enqueuePayments(queues.submit, [p, paymentJob(12)]);
    const h = startWorker({ concurrency: 1 });
    await inFlight;
    await h.close();
    expect(await queues.ledger.get(p.ids.paymentInformationId)).to.include({ state: 'sent', resourceId: 'RES-SLOW' });
    expect(await (await queues.submit.getJob(p.ids.paymentInformationId))!.getState()).to.equal('completed');
    expect(bank.posts).to.have.length(1); // took no new job
  });

  it('SUBMIT-12 two workers on 40 payments: exactly one POST each', async () => {
    const ps = Array.from({ length: 40 }, (_, i) => paymentJob(100 + i));
    await enqueuePayments(queues.submit, ps);
    await enqueuePayments(queues.submit, ps); // a run started twice
    startWorker({ concurrency: 4 });
    startWorker({ concurrency: 4 });
    await waitFor(async () => (await queues.submit.getJobCounts('completed')).completed === 40, 10_000, '40 completed');
    expect(bank.posts).to.have.length(40);
    expect(new Set(bank.posts.map((x) => x.pid)).size).to.equal(40);
  });
  it('SUBMIT-13 a payment held by a live claim of another worker is delayed, not posted', async () => {
    const p = paymentJob(13);
    await queues.ledger.claim({ paymentInformationId: p.ids.paymentInformationId, token: 'other-worker', billId: 13, endToEndId: p.ids.endToEndId });
    await enqueuePayments(queues.submit, [p]);
    startWorker();
    await waitFor(async () => (await queues.submit.getJobState(p.ids.paymentInformationId)) === 'delayed', 5000, 'job delayed');
    expect(bank.posts).to.have.length(0);
    const job = await queues.submit.getJob(p.ids.paymentInformationId);
    expect(job!.attemptsMade).to.equal(0);
  });

  it('SUBMIT-14 a lost lock aborts the bank call; the retry re-sends the same body', async () => {
    const p = paymentJob(14);
    let started!: () => void;
    const inFlight = new Promise<void>((r) => (started = r));
    bank.script = [
      (_body, opts) =>
        new Promise((_, reject) => {
          started();
          opts.signal!.addEventListener('abort', () => reject(new BankTransientError('aborted: job lock lost')));
        }),
    ];
    await enqueuePayments(queues.submit, [p]);
    const h = startWorker();
    await inFlight;
    // What the worker does on 'lockRenewalFailed'.
    expect(h.worker.cancelJob(p.ids.paymentInformationId, 'job lock lost')).to.equal(true);
    const job = await settled(p.ids.paymentInformationId);
    expect(job.returnvalue.kind).to.equal('posted');
    expect(bank.posts).to.have.length(2);
    expect(bank.posts[0]!.body).to.equal(bank.posts[1]!.body);
    expect(await queues.ledger.get(p.ids.paymentInformationId)).to.include({ state: 'sent', claims: 2 });
  });

  describe('the gate: the bill in Odoo is checked before each POST', () => {
    let odoo: RecordingOdoo;
    beforeEach(() => {
      odoo = new RecordingOdoo();
    });
    const other = { id: 71, iban: 'FR7630006000011234567890189', partnerId: 7, trusted: true, active: true };

    it('GATE-01 a bill whose recipient account was switched after reservation is never POSTed: withdrawn, its ids retired, the reason says what changed', async () => {
      const p = paymentJob(201);
      odoo.reserve(p, { account: other });
      await enqueuePayments(queues.submit, [p]);
      startWorker({}, odoo);
      const job = await settled(p.ids.paymentInformationId);
      expect(job.returnvalue).to.include({ kind: 'withdrawn', status: 'withdrawn' });
      expect(bank.posts).to.have.length(0);
      expect(await queues.ledger.get(p.ids.paymentInformationId)).to.include({ state: 'final', status: 'withdrawn' });
      // a later claim (a retry, another worker, the sweeper) is refused: the ids are retired
      expect(await queues.ledger.claim({ paymentInformationId: p.ids.paymentInformationId, token: 'x', billId: 201, endToEndId: p.ids.endToEndId })).to.equal(-1);
      const [item] = await pendingWriteback();
      expect(item!.onlyIfStatus).to.deep.equal(['queued']);
      expect(item!.update.values).to.include({ x_stet_status: 'withdrawn', x_stet_closed_attempt: 1 });
      expect(item!.update.values.x_stet_status_reason).to.equal(
        `Bill ${p.billName}: payment ${p.ids.endToEndId} (approved for 102.01 EUR to DE89 …3000) was not sent: the bill changed after stetpay reserved it: its recipient account is now FR76 …0189. ` +
          `Nothing reached the bank and these ids are never sent. Check the bill; to pay it as it is now, run stetpay retry ${p.billName} and the next run sends a new payment.`,
      );
    });

    it('GATE-02 approval withdrawn, reset to draft, amount changed, paid, flagged to check, deleted: nothing is POSTed, each says what changed', async () => {
      const cases: [number, Parameters<RecordingOdoo['reserve']>[1] | 'deleted', string][] = [
        [211, { approved: false }, 'its approval for bank payment was withdrawn'],
        [212, { state: 'draft' }, 'it was reset to draft'],
        [213, { amountResidual: 98765.43 }, 'its amount due is now 98765.43 EUR'],
        [214, { paymentState: 'paid' }, 'Odoo shows it paid'],
        [215, { reviewed: false }, 'it was flagged "to check"'],
        [216, { account: { ...other, iban: 'DE89370400440532013000', trusted: false } }, 'its recipient account is no longer trusted'],
        [217, 'deleted', ''],
      ];
      const ps = cases.map(([n, over]) => {
        const p = paymentJob(n);
        if (over !== 'deleted') odoo.reserve(p, over);
        return p;
      });
      await enqueuePayments(queues.submit, ps);
      startWorker({}, odoo);
      for (const p of ps) await settled(p.ids.paymentInformationId);
      expect(bank.posts).to.have.length(0);
      const items = await pendingWriteback();
      for (const [n, over, change] of cases) {
        expect((await queues.ledger.get(paymentJob(n).ids.paymentInformationId))?.status, String(n)).to.equal('withdrawn');
        const item = items.find((i) => i.update.billId === n);
        if (over === 'deleted') expect(item, 'nothing to write on a deleted bill').to.equal(undefined);
        else expect(item!.update.values.x_stet_status_reason, String(n)).to.contain(`the bill changed after stetpay reserved it: ${change}`);
      }
    });

    it('GATE-03 a bill changed after a try that may have reached the bank is needs_review, naming the change and the evidence, never re-sent', async () => {
      const p = paymentJob(221);
      odoo.reserve(p);
      // 1st try: the answer is lost (the bank may have it); then the clerk switches the account
      bank.script = [
        async () => {
          odoo.reserved.get(221)!.account = other;
          throw new BankTransientError('socket hang up after send');
        },
      ];
      await enqueuePayments(queues.submit, [p]);
      startWorker({}, odoo);
      // the gate's answer is cached for seconds: the retry reads it again once forgotten
      const h = handles[0]!;
      await waitFor(async () => bank.posts.length === 1 && (await queues.ledger.get(p.ids.paymentInformationId))?.uncertain, 5000, 'the lost answer');
      h.gate!.forget(221);
      const job = await settled(p.ids.paymentInformationId);
      expect(job.returnvalue).to.include({ kind: 'needs_review', status: 'needs_review' });
      expect(bank.posts).to.have.length(1);
      expect(await queues.ledger.get(p.ids.paymentInformationId)).to.include({ state: 'final', status: 'needs_review', evidence: 'changed_after_reservation' });
      const reason = (await pendingWriteback()).at(-1)!.update.values.x_stet_status_reason as string;
      expect(reason).to.contain('its recipient account is now FR76 …0189').and.contain('the bank may already have the payment').and.contain(`stetpay resolve ${p.billName} --not-at-bank`);
    });

    it('GATE-04 Odoo unreachable: no POST, the job waits without spending an attempt, and is sent once Odoo answers', async () => {
      const p = paymentJob(231);
      odoo.reserve(p);
      odoo.down = true;
      await enqueuePayments(queues.submit, [p], { attempts: 1 });
      startWorker({}, odoo);
      await waitFor(async () => (await queues.submit.getJobState(p.ids.paymentInformationId)) === 'delayed', 5000, 'job delayed');
      expect(bank.posts).to.have.length(0);
      expect(await queues.ledger.get(p.ids.paymentInformationId)).to.equal(null);
      odoo.down = false;
      const job = await settled(p.ids.paymentInformationId);
      expect(job.returnvalue.kind).to.equal('posted');
      expect(job.attemptsMade).to.equal(1);
      expect(bank.posts).to.have.length(1);
    });

    it('GATE-05 a bill no longer queued under the job\'s ids (its status cleared by hand) is not POSTed: ids retired, the attempt recorded closed, its status left to the person', async () => {
      const p = paymentJob(241);
      odoo.reserve(p, {});
      odoo.bills.get(241)!.status = null;
      await enqueuePayments(queues.submit, [p]);
      startWorker({}, odoo);
      const job = await settled(p.ids.paymentInformationId);
      expect(job.returnvalue.kind).to.equal('withdrawn');
      expect(bank.posts).to.have.length(0);
      const [item] = await pendingWriteback();
      expect(item!.update.values).to.deep.equal({ x_stet_closed_attempt: 1 });
      expect(item!.update.note).to.contain('Odoo no longer showed it queued (status cleared)');
    });

    it('GATE-06 the gate reads Odoo in batches: 120 payments with 8 processors cost one or two reads, not one per bill', async () => {
      const ps = Array.from({ length: 120 }, (_, i) => paymentJob(300 + i));
      for (const p of ps) odoo.reserve(p);
      await enqueuePayments(queues.submit, ps);
      startWorker({ concurrency: 8 }, odoo);
      await waitFor(async () => (await queues.submit.getJobCounts('completed')).completed === 120, 15_000, '120 completed');
      expect(bank.posts).to.have.length(120);
      // the jobs in hand and those waiting are read along with the first: one read (two Odoo calls) for all
      expect(odoo.reservedReads.length, `reads: ${odoo.reservedReads.map((r) => r.length).join(',')}`).to.be.at.most(2);
    });

    it('GATE-08 an answer the gate cached for attempt 1 never stops attempt 2 reserved seconds later: a verdict other than "send" is confirmed by a fresh read', async () => {
      const [first, second] = [paymentJob(261, 1), paymentJob(261, 2)];
      odoo.reserve(first);
      bank.script = [new BankRejectedError('400', { status: 400, stetCode: 'FF01', bankMessage: 'Invalid creditor' })];
      await enqueuePayments(queues.submit, [first]);
      startWorker({}, odoo);
      expect((await settled(first.ids.paymentInformationId)).returnvalue.kind).to.equal('rejected');
      // retry + the next run, within the gate's 10 s: Odoo now records attempt 2
      odoo.reserve(second);
      await enqueuePayments(queues.submit, [second]);
      const job = await settled(second.ids.paymentInformationId);
      expect(job.returnvalue.kind).to.equal('posted');
      expect(bank.posts.map((x) => x.pid)).to.deep.equal([first.ids.paymentInformationId, second.ids.paymentInformationId]);
    });

    it('GATE-07 a job whose request is not the one Odoo recorded at reservation (digest) is never sent', async () => {
      const p = paymentJob(251);
      odoo.reserve(p);
      const stale = structuredClone(p);
      stale.request.creditTransferTransaction[0]!.beneficiary.creditor.name = 'Someone Else';
      await enqueuePayments(queues.submit, [stale]);
      startWorker({}, odoo);
      const job = await settled(p.ids.paymentInformationId);
      expect(job.returnvalue.kind).to.equal('withdrawn');
      expect(job.returnvalue.reason).to.contain('the request to send is not the one recorded at reservation');
      expect(bank.posts).to.have.length(0);
    });
  });
});
