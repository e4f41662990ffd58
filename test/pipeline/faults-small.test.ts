/**
 * Issue 5's fault tests, small and fast: each starts its own pipeline (real
 * Redis, Odoo dev server, bank sandbox) with `stetpay worker` children, injects
 * one fault, and ends with the three-way check.
 */
import { expect } from 'chai';
import { assertClean, Pipeline, seededExpectations, sleep, threeWayCheck } from '../support/pipeline-harness.js';
import { figures } from '../support/fault-helpers.js';

/** Short time-outs so a killed worker's job comes back within seconds (lock = 4 x response time-out). */
const FAST = { bank: { responseTimeoutMs: 1500, connectTimeoutMs: 1500 }, odoo: { timeoutMs: 3000 } };

describe('pipeline under faults (worker child processes)', function () {
  this.timeout(120_000);
  let p: Pipeline | undefined;
  afterEach(async () => {
    await p?.stop();
    p = undefined;
  });

  it('PIPE-KILL a worker killed with SIGKILL mid-run and restarted leaves exactly one accepted POST per payment', async () => {
    p = await Pipeline.start({ invoices: 60, config: FAST, bankFaults: { latencyMs: 300 }, env: { STETPAY_BANK_RPS: '20' } });
    const w = p.startWorker({ concurrency: 4 });
    const { summary } = await p.installAndRun();
    await p.workerReady(w);
    const exp = seededExpectations(p);
    // kill while POSTs are in flight (300 ms each at the bank)
    while (p.totalBankPosts() < 10) await sleep(20);
    w.kill('SIGKILL');
    expect((await w.exited).signal).to.equal('SIGKILL');
    const postsAtKill = p.totalBankPosts();
    const w2 = p.startWorker({ concurrency: 4 });
    await p.workerReady(w2);
    const pending = await p.waitSettled(exp.paid, { timeoutMs: 90_000, sweepEveryMs: 30_000 });
    expect(pending).to.deep.equal([]);
    const r = await threeWayCheck(p, { reservedBillIds: [...exp.paid, ...exp.invalid], neverSentBillIds: exp.invalid });
    figures('PIPE-KILL', { queued: summary.byStatus.queued, postsAtKill, ...r, mismatches: r.mismatches.length });
    assertClean(r, 'PIPE-KILL');
    const accepted = [...p.bankPosts().values()].map((s) => s.filter((x) => x === 201).length);
    expect(accepted.every((n) => n === 1), 'one 201 per payment').to.equal(true);
    expect(accepted.length).to.equal(exp.paid.length);
  });

  it('PIPE-DROP "recorded then connection dropped" ends in one payment, not two, and the bill needs_review', async () => {
    p = await Pipeline.start({ invoices: 12, config: FAST });
    const w = p.startWorker({ concurrency: 1 });
    await p.cli(['install']);
    // `run` checks the bank first (a GET): the fault is armed after it, for the first POST
    const { result } = await p.run();
    expect(result.code).to.equal(0);
    p.bank.setFaults({ script: ['recordThenDrop'] });
    await p.workerReady(w);
    const exp = seededExpectations(p);
    expect(await p.waitSettled(exp.paid, { timeoutMs: 60_000 })).to.deep.equal([]);
    const dropped = [...p.bankPosts()].filter(([, s]) => s.includes('dropped'));
    expect(dropped, 'one POST recorded then dropped').to.have.length(1);
    const [pid, statuses] = dropped[0]!;
    expect(statuses.filter((s) => s === 201)).to.have.length(0);
    expect(p.bank.payments().filter((x) => x.paymentInformationId === pid)).to.have.length(1);
    const bill = p.bills().find((b) => b.paymentInformationId === pid)!;
    expect(bill.status).to.equal('needs_review'); // docs/worker.md: "duplicate" -> needs_review
    expect(bill.reason).to.match(/online banking/);
    assertClean(await threeWayCheck(p, { reservedBillIds: exp.paid }), 'PIPE-DROP');
  });

  it('PIPE-429 a 429 storm spends no attempts: every job attemptsMade 1 (its successful try), every payment paid once', async () => {
    // The sandbox allows 4 req/s; the workers are told 40: most calls meet 429 TMRQ.
    p = await Pipeline.start({ invoices: 40, config: FAST, bankRequestsPerSecond: 4, env: { STETPAY_BANK_RPS: '40' } });
    const w1 = p.startWorker({ concurrency: 4 });
    const w2 = p.startWorker({ concurrency: 4 });
    await p.installAndRun();
    await Promise.all([p.workerReady(w1), p.workerReady(w2)]);
    const exp = seededExpectations(p);
    expect(await p.waitSettled(exp.paid, { timeoutMs: 90_000 })).to.deep.equal([]);
    const tooMany = p.bank.requests().filter((r) => r.status === 429).length;
    expect(tooMany, '429s answered').to.be.greaterThan(5);
    const jobs = await Promise.all(p.bills().filter((b) => exp.paid.includes(b.id)).map((b) => p!.queue().getJob(b.paymentInformationId!)));
    // BullMQ counts the successful try in attemptsMade: 1 means no attempt was spent on a 429
    const spent = jobs.filter((j) => !j || j.attemptsMade !== 1).map((j) => `${j?.id}: ${j?.attemptsMade}`);
    expect(spent, 'jobs that spent an attempt').to.deep.equal([]);
    const restarts = jobs.reduce((n, j) => n + (j!.attemptsStarted - 1), 0);
    expect(restarts, 'jobs put back by the rate limit').to.be.greaterThan(0);
    const r = await threeWayCheck(p, { reservedBillIds: exp.paid });
    figures('PIPE-429', { tooMany, restarts, posts: r.bankPosts, payments: r.bankPayments });
    assertClean(r, 'PIPE-429');
    expect(r.byStatus).to.deep.equal({ submitted: exp.paid.length });
  });

  it('PIPE-SIGTERM SIGTERM lets in-flight jobs finish: each in-flight POST is written back, exit 0', async () => {
    p = await Pipeline.start({ invoices: 40, config: { ...FAST, bank: { responseTimeoutMs: 5000 } }, bankFaults: { latencyMs: 1200 } });
    const w = p.startWorker({ concurrency: 4 });
    await p.installAndRun();
    await p.workerReady(w);
    const exp = seededExpectations(p);
    // wait until POSTs are in flight (the bank logs a POST when it answers: use the first answers as the clock)
    while (p.totalBankPosts() < 4) await sleep(20);
    await sleep(300);
    const postsAtTerm = p.totalBankPosts();
    const paymentsAtTerm = p.bank.payments().length;
    w.kill('SIGTERM');
    const exit = await w.exited;
    expect(exit.code, w.log().slice(-1500)).to.equal(0);
    // Every payment the bank took is recorded in Odoo by the stopped worker itself (no other worker runs).
    const bills = new Map(p.bills().filter((b) => b.paymentInformationId).map((b) => [b.paymentInformationId!, b]));
    const taken = p.bank.payments();
    figures('PIPE-SIGTERM', { postsAtTerm, paymentsAtTerm, paymentsAfterExit: taken.length });
    expect(taken.length, 'every POST in flight at SIGTERM was answered').to.be.at.least(postsAtTerm);
    const unrecorded = taken.filter((x) => bills.get(x.paymentInformationId)?.resourceId !== x.resourceId).map((x) => x.paymentInformationId);
    expect(unrecorded, 'bank payments not written back before exit').to.deep.equal([]);
    expect(taken.length, 'some payments still to do').to.be.lessThan(exp.paid.length);
    // the rest is done by the next worker
    const w2 = p.startWorker({ concurrency: 4 });
    await p.workerReady(w2);
    expect(await p.waitSettled(exp.paid, { timeoutMs: 60_000 })).to.deep.equal([]);
    assertClean(await threeWayCheck(p, { reservedBillIds: exp.paid }), 'PIPE-SIGTERM');
  });

  it('PIPE-ODOO-DOWN Odoo down during write-back loses nothing: everything is written when it comes back', async () => {
    p = await Pipeline.start({ invoices: 40, config: FAST, bankFaults: { latencyMs: 100 } });
    await p.installAndRun();
    const exp = seededExpectations(p);
    const w = p.startWorker({ concurrency: 4 });
    await p.workerReady(w);
    while (p.totalBankPosts() < 3) await sleep(20);
    await p.odoo.goDown();
    while (p.bank.payments().length < exp.paid.length) await sleep(100);
    await sleep(3000);
    const queuedWhileDown = p.stillQueued(exp.paid).length;
    await p.odoo.comeBack();
    expect(await p.waitSettled(exp.paid, { timeoutMs: 60_000 })).to.deep.equal([]);
    const r = await threeWayCheck(p, { reservedBillIds: exp.paid });
    figures('PIPE-ODOO-DOWN', { queuedWhileDown, ...r, mismatches: r.mismatches.length });
    assertClean(r, 'PIPE-ODOO-DOWN');
    expect(queuedWhileDown, 'results waiting while Odoo was down').to.be.greaterThan(0);
    expect(r.byStatus).to.deep.equal({ submitted: exp.paid.length });
  });
});
