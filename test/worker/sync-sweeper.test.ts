import { UnrecoverableError, Worker } from 'bullmq';
import { expect } from 'chai';
import { BankNotFoundError, BankRateLimitedError } from '../../connector/stet/errors/bank-error.js';
import { enqueuePayments } from '../../worker/enqueue-payments.js';
import { StetpayQueues } from '../../worker/stetpay-queues.js';
import { sweepQueuedBills } from '../../worker/sweeper.js';
import { SYNC_SCHEDULER_ID, upsertNightlyRun, upsertSyncSchedule } from '../../worker/sync/schedules.js';
import { syncStatuses } from '../../worker/sync/sync-statuses.js';
import { scheduledSync } from '../../worker/sync/scheduled-sync.js';
import { WritebackDrainer } from '../../worker/writeback/writeback-drainer.js';
import type { TestRedis } from '../support/redis-server.js';
import { paymentJob, RecordingBank, RecordingOdoo, trackedBill, waitFor } from './support.js';
import { queuesPerTest } from '../support/redis-per-suite.js';

describe('status sync, schedules and sweeper (real Redis)', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let queues: StetpayQueues;
  let odoo: RecordingOdoo;
  let bank: RecordingBank;
  let prefix: string;

  queuesPerTest((q) => ({ redis, queues, prefix } = q));
  beforeEach(() => {
    odoo = new RecordingOdoo();
    bank = new RecordingBank();
  });
  const flush = () => new WritebackDrainer(queues.redis, odoo, { prefix }).flush();

  it('SCHED-01 upserting the sync schedule twice keeps one schedule, the new interval and its job options', async () => {
    await upsertSyncSchedule(queues.sync, 60_000);
    await upsertSyncSchedule(queues.sync, 15 * 60_000);
    const all = await queues.sync.getJobSchedulers();
    expect(all).to.have.length(1);
    const s = await queues.sync.getJobScheduler(SYNC_SCHEDULER_ID);
    expect(s!.every).to.equal(15 * 60_000);
    expect(s!.template!.opts).to.deep.include({ attempts: 3 });
    const delayed = await queues.sync.getJobs(['delayed', 'waiting', 'prioritized']);
    expect(delayed).to.have.length(1);
    expect(delayed[0]!.opts.attempts).to.equal(3);
  });

  it('SCHED-02 the nightly run upserted twice keeps one schedule with its cron, zone and options', async () => {
    await upsertNightlyRun(queues.run, { pattern: '0 0 3 * * *', tz: 'Europe/Paris' });
    await upsertNightlyRun(queues.run, { pattern: '0 30 2 * * *', tz: 'Europe/Paris' });
    const all = await queues.run.getJobSchedulers();
    expect(all).to.have.length(1);
    expect(all[0]).to.include({ pattern: '0 30 2 * * *', tz: 'Europe/Paris' });
    expect(all[0]!.template!.opts).to.deep.include({ attempts: 3 });
  });

  it('SYNC-01 maps bank codes, writes changes in one batch, registers ACSC once, expires after 35 days', async () => {
    const day = 86_400_000;
    const now = Date.parse('2026-11-25T10:00:00Z');
    odoo.bills.set(1, trackedBill(1, { status: 'submitted', resourceId: 'R1', endToEndId: 'E1' }));
    odoo.bills.set(2, trackedBill(2, { status: 'accepted', resourceId: 'R2', endToEndId: 'E2', bankStatus: 'ACSP' }));
    odoo.bills.set(3, trackedBill(3, { status: 'submitted', resourceId: 'R3', endToEndId: 'E3', attempt: 1 }));
    odoo.bills.set(4, trackedBill(4, { status: 'accepted', resourceId: 'R4', endToEndId: 'E4', updatedAt: '2026-10-01 08:00:00' }));
    odoo.bills.set(5, trackedBill(5, { status: 'submitted', resourceId: 'R5', endToEndId: 'E5', bankStatus: 'ACTC' }));
    odoo.bills.set(6, trackedBill(6, { status: 'submitted', resourceId: 'R6', endToEndId: 'E6' }));
    odoo.bills.set(7, trackedBill(7, { status: 'submitted', resourceId: null }));
    bank.statuses.set('R1', { paymentInformationStatus: 'ACCP' });
    bank.statuses.set('R2', { paymentInformationStatus: 'ACSC', transactionStatus: 'ACSC', appliedExecutionDate: '2026-11-24' });
    bank.statuses.set('R3', { paymentInformationStatus: 'RJCT', statusReasonInformation: 'AM04' });
    bank.statuses.set('R4', new BankNotFoundError('404'));
    bank.statuses.set('R5', { paymentInformationStatus: 'ACTC' });
    bank.statuses.set('R6', { paymentInformationStatus: 'WXYZ' });
    const s = await syncStatuses({ odoo, bank, writeback: queues.writeback }, { now: () => now });
    expect(s).to.include({ checked: 6, changed: 5, registered: 1, expired: 1, unknownCodes: 1 });
    expect(bank.gets).to.not.include(null);
    await flush();
    expect(odoo.writeCalls).to.have.length(1);
    expect(odoo.bills.get(1)).to.include({ status: 'accepted', bankStatus: 'ACCP' });
    expect(odoo.bills.get(2)).to.include({ status: 'executed', bankStatus: 'ACSC' });
    expect(odoo.registrations).to.deep.equal([{ billId: 2, journalId: undefined, paymentDate: '2026-11-24', memo: 'E2' }]);
    expect(odoo.bills.get(3)!.status).to.equal('rejected');
    expect(odoo.bills.get(3)!.reason).to.contain('AM04');
    expect(odoo.bills.get(3)!.closedAttempt, "the bank's final no closes the attempt in Odoo").to.equal(1);
    expect(odoo.bills.get(3)!.reason).to.contain('run stetpay retry BILL/3');
    expect(odoo.bills.get(4)!.status).to.equal('expired');
    expect(odoo.bills.get(5)!.status).to.equal('submitted');
    expect(odoo.bills.get(6)).to.include({ status: 'submitted', bankStatus: 'WXYZ' });
    expect(odoo.bills.get(6)!.reason).to.contain('WXYZ');
    // Second sync: executed bills are final, nothing registered twice.
    await syncStatuses({ odoo, bank, writeback: queues.writeback }, { now: () => now + day });
    expect(odoo.registrations).to.have.length(1);
  });

  it('SYNC-05 a final bank status is recorded in the ledger, so a rejected payment may be resubmitted and an executed one never', async () => {
    const ids = (n: number) => ({ paymentInformationId: `PID-${n}`, endToEndId: `E${n}` });
    for (const n of [1, 2, 3]) {
      await queues.ledger.claim({ ...ids(n), token: 't', billId: n });
      await queues.ledger.markSent(`PID-${n}`, { resourceId: `R${n}` });
      odoo.bills.set(n, trackedBill(n, { status: 'accepted', resourceId: `R${n}`, ...ids(n) }));
    }
    bank.statuses.set('R1', { paymentInformationStatus: 'RJCT', statusReasonInformation: 'CUST' });
    bank.statuses.set('R2', { paymentInformationStatus: 'ACSC', appliedExecutionDate: '2026-11-24' });
    bank.statuses.set('R3', { paymentInformationStatus: 'ACSP' });
    await syncStatuses({ odoo, bank, writeback: queues.writeback, ledger: queues.ledger });
    expect(await queues.ledger.get('PID-1')).to.include({ state: 'final', status: 'rejected', resourceId: 'R1' });
    expect((await queues.ledger.get('PID-1'))!.reason).to.contain('CUST');
    expect(await queues.ledger.get('PID-2')).to.include({ state: 'final', status: 'executed' });
    expect(await queues.ledger.get('PID-3')).to.include({ state: 'sent' });
  });

  it('SYNC-04 executed payments of a sync are registered in one batch after the GETs; a failed registration keeps the bill for the next sync', async () => {
    for (let i = 1; i <= 4; i++) {
      odoo.bills.set(i, trackedBill(i, { status: 'accepted', resourceId: `R${i}`, endToEndId: `E${i}`, bankStatus: 'ACSP' }));
      bank.statuses.set(`R${i}`, { paymentInformationStatus: 'ACSC', appliedExecutionDate: '2026-11-24' });
    }
    odoo.failRegistration.add(3);
    const s = await syncStatuses({ odoo, bank, writeback: queues.writeback }, { journalId: 9 });
    expect(odoo.registerCalls).to.equal(1);
    expect(odoo.registrations.map((r) => r.billId)).to.deep.equal([1, 2, 4]);
    expect(odoo.registrations[0]).to.deep.equal({ billId: 1, journalId: 9, paymentDate: '2026-11-24', memo: 'E1' });
    expect(s).to.include({ checked: 3, changed: 3, registered: 3 });
    expect(s.errors).to.deep.equal([{ billId: 3, error: 'Odoo refused to register bill 3' }]);
    await flush();
    expect([1, 2, 3, 4].map((id) => odoo.bills.get(id)!.status)).to.deep.equal(['executed', 'executed', 'accepted', 'executed']);
    // next sync: only bill 3 is still to register, once
    odoo.failRegistration.clear();
    const again = await syncStatuses({ odoo, bank, writeback: queues.writeback }, { journalId: 9 });
    expect(odoo.registerCalls).to.equal(2);
    expect(odoo.registrations.map((r) => r.billId)).to.deep.equal([1, 2, 4, 3]);
    expect(again).to.include({ checked: 1, registered: 1 });
  });

  it('SYNC-TZ a payment executed without the bank\'s execution date is registered on today in payments.timeZone', async () => {
    const lateEvening = Date.parse('2026-11-25T23:30:00Z'); // 00:30 on the 26th in Paris, 18:30 on the 25th in New York
    for (const [timeZone, day] of [['Europe/Paris', '2026-11-26'], ['America/New_York', '2026-11-25']] as const) {
      odoo.registrations.length = 0;
      odoo.bills.set(1, trackedBill(1, { status: 'accepted', resourceId: 'R1', endToEndId: 'E1', bankStatus: 'ACSP' }));
      bank.statuses.set('R1', { paymentInformationStatus: 'ACSC' });
      await syncStatuses({ odoo, bank, writeback: queues.writeback }, { journalId: 9, timeZone, now: () => lateEvening });
      expect(odoo.registrations, timeZone).to.deep.equal([{ billId: 1, journalId: 9, paymentDate: day, memo: 'E1' }]);
    }
  });

  it('SYNC-06 two syncs at once (a manual one during the schedule) register an executed payment in Odoo once', async () => {
    odoo.bills.set(1, trackedBill(1, { status: 'accepted', resourceId: 'R1', endToEndId: 'E1', paymentInformationId: 'PID-1' }));
    bank.statuses.set('R1', { paymentInformationStatus: 'ACSC', appliedExecutionDate: '2026-11-24' });
    const register = odoo.registerPayments.bind(odoo);
    odoo.registerPayments = async (items) => {
      await new Promise((r) => setTimeout(r, 150)); // a real Odoo takes its time: both syncs are in flight together
      return register(items);
    };
    const [a, b] = await Promise.all([0, 1].map(() => syncStatuses({ odoo, bank, writeback: queues.writeback, ledger: queues.ledger }, { journalId: 9 })));
    expect(odoo.registrations.map((r) => r.billId)).to.deep.equal([1]);
    expect(a!.registered + b!.registered).to.equal(1);
    // released afterwards: a later sync may register another payment of the same memo space
    expect(await queues.redis.keys(`${prefix}:stetpay:registering:*`)).to.deep.equal([]);
  });

  it('SYNC-07 the scheduled sync gives way while payments wait to be sent, not for retries waiting out an outage', async () => {
    let syncs = 0;
    const sync = async () => ++syncs;
    await enqueuePayments(queues.submit, [paymentJob(71), paymentJob(72)]);
    expect(await scheduledSync(queues.submit, sync)).to.deep.equal({ deferred: true, sending: 2 });
    expect(syncs).to.equal(0);
    // the same payments as retries in back-off (delayed): the sync runs
    for (const j of await queues.submit.getJobs(['waiting'])) {
      await j.remove();
      await queues.submit.add(j.name, j.data, { jobId: j.id!, delay: 60_000 });
    }
    expect(await scheduledSync(queues.submit, sync)).to.deep.equal({ deferred: false, summary: 1 });
  });

  it('SYNC-02 a 429 on a GET waits and tries again', async () => {
    odoo.bills.set(1, trackedBill(1, { status: 'submitted', resourceId: 'R1' }));
    let n = 0;
    bank.getPaymentRequest = async () => {
      if (n++ < 2) throw new BankRateLimitedError('429', { retryAfterMs: 20 });
      return { paymentInformationStatus: 'ACCP' };
    };
    const s = await syncStatuses({ odoo, bank, writeback: queues.writeback });
    expect(s).to.include({ checked: 1, changed: 1 });
    expect(s.errors).to.deep.equal([]);
  });

  it('SYNC-03 a full sync paces its GETs to its share of the bank rate, so payments keep theirs', async () => {
    for (let i = 1; i <= 6; i++) odoo.bills.set(i, trackedBill(i, { status: 'submitted', resourceId: `R${i}` }));
    const starts: number[] = [];
    bank.getPaymentRequest = async () => {
      starts.push(Date.now());
      return { paymentInformationStatus: 'ACTC' };
    };
    const s = await syncStatuses({ odoo, bank, writeback: queues.writeback }, { concurrency: 4, requestsPerSecond: 20 });
    expect(s.checked).to.equal(6);
    starts.sort((a, b) => a - b);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // 20/s = one GET every 50 ms, whatever the concurrency (timer slack: 5 ms).
    for (const g of gaps) expect(g).to.be.at.least(45);
  });

  const sweep = () => sweepQueuedBills({ odoo, ledger: queues.ledger, submitQueue: queues.submit, writeback: queues.writeback, database: 'test' });

  it('SWEEP-01 after FLUSHALL the sweeper queues each bill again from the request Odoo recorded (byte for byte), noting first that the bank may have it; live jobs are left alone', async () => {
    const ps = [paymentJob(1), paymentJob(2), paymentJob(3)];
    for (const p of ps) odoo.reserve(p);
    await enqueuePayments(queues.submit, ps);
    expect(await sweep()).to.include({ queued: 3, live: 3 });
    await queues.redis.flushall();
    const s = await sweep();
    expect(s.reenqueued).to.deep.equal([1, 2, 3]);
    for (const p of ps) {
      const job = await queues.submit.getJob(p.ids.paymentInformationId);
      expect(JSON.stringify(job!.data.request)).to.equal(odoo.reserved.get(p.billId)!.request);
      expect(job!.data).to.include({ billId: p.billId, attempt: 1, database: 'test', executionDate: '2026-11-27' });
      // Redis had no trace: the re-send is a resume, so a refusal of it reads as "may be at the bank"
      expect(await queues.ledger.get(p.ids.paymentInformationId)).to.include({ state: 'sending', uncertain: true, evidence: 'no_trace', claims: 0 });
    }
  });

  it('SWEEP-02 a queued bill the ledger knows as sent is written back, not re-sent; sending is re-enqueued', async () => {
    const [a, b] = [paymentJob(1), paymentJob(2)];
    for (const p of [a, b]) odoo.reserve(p);
    await queues.ledger.claim({ paymentInformationId: a.ids.paymentInformationId, token: 't', billId: 1, endToEndId: a.ids.endToEndId });
    await queues.ledger.markSent(a.ids.paymentInformationId, { resourceId: 'RES-A' });
    await queues.ledger.claim({ paymentInformationId: b.ids.paymentInformationId, token: 't', billId: 2, endToEndId: b.ids.endToEndId });
    await queues.redis.hset(queues.ledger.key(b.ids.paymentInformationId), 'claimedAt', 1); // its worker died long ago
    const s = await sweep();
    expect(s.replayed).to.deep.equal([1]);
    expect(s.reenqueued).to.deep.equal([2]);
    await flush();
    expect(odoo.bills.get(1)).to.include({ status: 'submitted', resourceId: 'RES-A' });
    expect(await queues.submit.getJobState(a.ids.paymentInformationId)).to.equal('unknown');
    expect(await queues.ledger.get(b.ids.paymentInformationId)).to.include({ state: 'sending', claims: 1 });
  });

  it('SWEEP-03 never from the bill as it is now: an account switched after reservation is withdrawn when Redis proves nothing was sent, needs_review when Redis lost all trace', async () => {
    const [traced, lost] = [paymentJob(31), paymentJob(32)];
    for (const p of [traced, lost]) odoo.reserve(p, { account: { id: 71, iban: 'FR7630006000011234567890189', partnerId: 7, trusted: true, active: true } });
    // traced: its job failed for good before any claim (as with refused credentials), so Redis knows it never reached the bank
    await enqueuePayments(queues.submit, [traced]);
    await failForGood(traced.ids.paymentInformationId);
    const s = await sweep();
    expect(s.reenqueued).to.deep.equal([]);
    expect(s.withdrawn).to.deep.equal([31]);
    expect(s.needsReview).to.deep.equal([32]);
    await flush();
    const w = odoo.bills.get(31)!;
    expect(w).to.include({ status: 'withdrawn', closedAttempt: 1 });
    expect(w.reason).to.equal(
      `Bill ${traced.billName}: payment ${traced.ids.endToEndId} (approved for 100.31 EUR to DE89 …3000) was not sent: the bill changed after stetpay reserved it: its recipient account is now FR76 …0189. ` +
        `Nothing reached the bank and these ids are never sent. Check the bill; to pay it as it is now, run stetpay retry ${traced.billName} and the next run sends a new payment.`,
    );
    expect(await queues.ledger.get(traced.ids.paymentInformationId)).to.include({ state: 'final', status: 'withdrawn' });
    const n = odoo.bills.get(32)!;
    expect(n.status).to.equal('needs_review');
    expect(n.reason).to.contain('its recipient account is now FR76 …0189').and.contain('Redis had lost its record of it').and.contain(`stetpay resolve ${lost.billName} --not-at-bank`);
    expect(await queues.ledger.get(lost.ids.paymentInformationId)).to.include({ state: 'final', status: 'needs_review', evidence: 'no_trace' });
    expect(await queues.submit.getJobState(lost.ids.paymentInformationId)).to.equal('unknown');
  });

  it('SWEEP-04 a bill reserved by an older stetpay (no request recorded) or whose record no longer matches its digest is never rebuilt: it gets an outcome saying so', async () => {
    const [old, edited] = [paymentJob(41), paymentJob(42)];
    odoo.reserve(old, { request: null, requestDigest: null, reservedIban: null, reservedAmount: null, reservedCurrency: null });
    odoo.reserve(edited);
    const r = odoo.reserved.get(42)!;
    r.request = r.request!.replace('DE89370400440532013000', 'FR7630006000011234567890189'); // someone edited the stored request
    const s = await sweep();
    expect(s.reenqueued).to.deep.equal([]);
    expect(s.needsReview).to.deep.equal([41, 42]);
    await flush();
    expect(odoo.bills.get(41)!.reason).to.contain('Odoo holds no record of the request reserved for it (reserved by a stetpay older than this one), so stetpay cannot prove what it would send');
    expect(odoo.bills.get(42)!.reason).to.contain('the request recorded on the bill no longer matches its digest');
    for (const p of [old, edited]) expect(await queues.ledger.get(p.ids.paymentInformationId)).to.include({ state: 'final', status: 'needs_review' });
  });

  it('SWEEP-05 nothing stays queued silently: a queued bill without ids is recorded invalid, one whose ids a person retired is withdrawn; the sweep is logged', async () => {
    odoo.bills.set(51, trackedBill(51, { status: 'queued' }));
    const p = paymentJob(52);
    odoo.reserve(p);
    await queues.ledger.markReleased(p.ids.paymentInformationId, 52, p.ids.endToEndId, 'Ann confirmed');
    const events: [string, Record<string, unknown>][] = [];
    const s = await sweepQueuedBills({ odoo, ledger: queues.ledger, submitQueue: queues.submit, writeback: queues.writeback, database: 'test', log: (e, f) => events.push([e, f]) });
    expect(s).to.deep.include({ withoutIds: [51], withdrawn: [52], reenqueued: [] });
    await flush();
    expect(odoo.bills.get(51)).to.include({ status: 'invalid' });
    expect(odoo.bills.get(51)!.reason).to.contain('run stetpay retry BILL/51');
    expect(odoo.bills.get(52)).to.include({ status: 'withdrawn', closedAttempt: 1 });
    expect(events.map(([e]) => e)).to.deep.equal(['sweeper.swept']);
    expect(events[0]![1]).to.deep.include({ withoutIds: [51], withdrawn: [52] });
  });

  it('RECOVERY-9 a queued bill whose attempt number was changed outside stetpay (-2, 10000000) never stops the sweep: it gets an outcome naming it, the others are swept', async () => {
    const [bad, worse, good] = [paymentJob(61), paymentJob(62), paymentJob(63)];
    for (const p of [bad, worse, good]) odoo.reserve(p);
    await enqueuePayments(queues.submit, [bad]);
    await failForGood(bad.ids.paymentInformationId); // Redis knows it never reached the bank
    odoo.bills.get(61)!.attempt = -2;
    odoo.bills.get(62)!.attempt = 10_000_000; // and Redis has no trace of this one
    const s = await sweep();
    expect(s).to.deep.include({ withdrawn: [61], needsReview: [62], reenqueued: [63] });
    await flush();
    expect(odoo.bills.get(61)).to.include({ status: 'withdrawn' });
    expect(odoo.bills.get(61)!.reason).to.contain('its attempt number (x_stet_attempt = -2) is not one stetpay writes: it was changed outside stetpay');
    expect(odoo.bills.get(62)).to.include({ status: 'needs_review' });
    expect(odoo.bills.get(62)!.reason).to.contain('its attempt number (x_stet_attempt = 10000000) is not one stetpay writes').and.contain(`stetpay resolve ${worse.billName} --not-at-bank`);
    expect(await queues.ledger.get(bad.ids.paymentInformationId)).to.include({ state: 'final', status: 'withdrawn' });
    expect(await queues.ledger.get(worse.ids.paymentInformationId)).to.include({ state: 'final', status: 'needs_review', evidence: 'no_trace' });
    expect(await queues.submit.getJobState(good.ids.paymentInformationId)).to.equal('waiting');
  });

  /** A worker whose processor fails the job for good (as refused credentials do), until the job is failed. */
  async function failForGood(pid: string): Promise<void> {
    const w = new Worker(queues.submit.name, async () => {
      throw new UnrecoverableError('credentials');
    }, { connection: { url: redis.url } as never, prefix });
    try {
      await waitFor(async () => (await queues.submit.getJobState(pid)) === 'failed', 5000, 'the job to fail');
    } finally {
      await w.close();
    }
  }
});
