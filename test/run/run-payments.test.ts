/**
 * The run (collect -> map -> reserve in Odoo -> enqueue) against the Odoo dev
 * server, the bank sandbox's certificates and real Redis.
 */
import { expect } from 'chai';
import { installFields, readTrackedBills, writeBillUpdates, type OdooClient } from '../../connector/odoo/index.js';
import { getBankProfile } from '../../connector/profiles/index.js';
import { paymentIds, requestDigest, requestText } from '../../connector/rules/index.js';
import { openOdoo } from '../../plugin/connect/open-odoo.js';
import { createLogger } from '../../plugin/runtime/logger.js';
import { startWorkerRuntime } from '../../plugin/runtime/worker-runtime.js';
import { bankApiStatus } from '../../plugin/connect/bank-status.js';
import { RunInProgressError, runPayments } from '../../plugin/run/run-payments.js';
import { renderRunSummary } from '../../plugin/run/render-summary.js';
import { bankSectionFor, odooSectionFor } from '../../plugin/demo/embedded-parts.js';
import { startBankSandbox, type RunningBankSandbox } from '../../sandbox/bank/index.js';
import { startOdooDevServer, type RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { CLAIM, needsReviewUpdate, StetpayQueues } from '../../worker/index.js';
import { BankNotFoundError } from '../../connector/stet/index.js';
import { resolveNotAtBank, ResolveRefusedError, type ResolveDeps } from '../../plugin/resolve/index.js';
import { retryPayment, RetryRefusedError, type RetryDeps } from '../../plugin/retry/index.js';
import { CERTS_DIR } from '../bank/harness.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { stackConfig } from '../support/stack-config.js';

const NOW = new Date('2026-11-25T09:00:00+01:00');

describe('the run: collect, validate, reserve in Odoo, enqueue', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let bank: RunningBankSandbox;
  let odooServer: RunningOdooDevServer;
  let odoo: OdooClient;
  let queues: StetpayQueues;

  function configFor(server: RunningOdooDevServer) {
    return stackConfig('run', { odoo: odooSectionFor(server), redisUrl: redis.url, bank: bankSectionFor(bank, undefined, 'nightly') });
  }

  before(async () => {
    redis = await startRedis();
    bank = await startBankSandbox({ certsDir: CERTS_DIR });
  });
  after(async () => {
    await bank?.close();
    await redis?.stop();
  });

  beforeEach(async () => {
    odooServer = await startOdooDevServer({ version: 17, seed: { invoices: 40, seed: 7, today: '2026-11-25' } });
    odoo = await openOdoo(configFor(odooServer).odoo);
    await installFields(odoo);
  });
  afterEach(async () => {
    await queues?.close();
    odoo?.close();
    await odooServer?.close();
  });

  it('a dry run writes nothing to Odoo and queues nothing', async () => {
    const config = configFor(odooServer);
    odooServer.resetCalls();
    const s = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), now: NOW });
    expect(s.dryRun).to.equal(true);
    expect(s.bills).to.be.greaterThan(30);
    expect(s.byStatus.queued! + (s.byStatus.invalid ?? 0)).to.equal(s.bills - s.notYetPayable);
    const calls = odooServer.calls();
    expect(Object.keys(calls).filter((k) => /\.(write|create|load|unlink)$/.test(k))).to.deep.equal([]);
    expect((await readTrackedBills(odoo, {})).length).to.equal(0);
  });

  it('RUN-LATER approved bills due beyond the bank\'s 30-day window (NWM-04) are counted and listed with the day each becomes payable; nothing is written on them', async () => {
    const config = configFor(odooServer);
    const approved = await odoo.call<{ id: number; name: string }[]>(
      'account.move',
      'search_read',
      [[['move_type', '=', 'in_invoice'], ['state', '=', 'posted'], ['payment_state', 'in', ['not_paid', 'partial']], ['x_stet_approved', '=', true], ['x_stet_status', '=', false], ['to_check', '=', false], ['invoice_date_due', '<=', '2026-12-25']]],
      { fields: ['name'], order: 'id asc', limit: 2 },
    );
    const [sunday, monday] = approved as [{ id: number; name: string }, { id: number; name: string }];
    await odoo.call('account.move', 'write', [[sunday.id], { invoice_date_due: '2027-01-10' }]); // a Sunday: paid Monday 11 January (NWM-06)
    await odoo.call('account.move', 'write', [[monday.id], { invoice_date_due: '2027-02-01' }]);
    const beyond = await odoo.call<number>('account.move', 'search_count', [[['move_type', '=', 'in_invoice'], ['state', '=', 'posted'], ['payment_state', 'in', ['not_paid', 'partial']], ['x_stet_approved', '=', true], ['x_stet_status', '=', false], ['to_check', '=', false], ['invoice_date_due', '>', '2026-12-25']]]);
    queues = await StetpayQueues.open({ connection: redis.url, prefix: config.redis.prefix });
    const s = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
    expect(s.notYetPayable).to.equal(beyond);
    expect(s.notYetPayableBills.length).to.equal(Math.min(beyond, 50));
    expect(s.notYetPayableBills.find((b) => b.billId === sunday.id)).to.deep.equal({ billId: sunday.id, billName: sunday.name, dueDate: '2027-01-10', payableFrom: '2026-12-12' });
    expect(s.notYetPayableBills.find((b) => b.billId === monday.id)).to.deep.equal({ billId: monday.id, billName: monday.name, dueDate: '2027-02-01', payableFrom: '2027-01-02' });
    expect(s.byStatus.queued! + (s.byStatus.invalid ?? 0) + (s.byStatus.needs_review ?? 0)).to.equal(s.bills - s.notYetPayable);
    const [later] = await readTrackedBills(odoo, { billIds: [sunday.id] });
    expect(later?.status ?? null).to.equal(null);
    const text = renderRunSummary(s);
    expect(text).to.include(`  - ${sunday.name}: due 2027-01-10, payable from 2026-12-12`);
    expect(text).to.include(`  - ${monday.name}: due 2027-02-01, payable from 2027-01-02`);
  });

  it('reserves ids and `queued` (or `invalid` with the reasons) in Odoo before enqueueing, one job per payment', async () => {
    const config = configFor(odooServer);
    queues = await StetpayQueues.open({ connection: redis.url, prefix: config.redis.prefix });
    const s = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
    const tracked = await readTrackedBills(odoo, {});
    const queued = tracked.filter((b) => b.status === 'queued');
    expect(queued.map((b) => b.billId).sort((a, b) => a - b)).to.deep.equal([...s.queuedBillIds].sort((a, b) => a - b));
    expect(s.enqueued).to.equal(queued.length);
    expect(await queues.submit.count()).to.equal(queued.length);
    for (const b of queued) {
      const ids = paymentIds(odooServer.database, b.billId, 1);
      expect(b.paymentInformationId).to.equal(ids.paymentInformationId);
      expect(b.endToEndId).to.equal(ids.endToEndId);
      expect(b.attempt).to.equal(1);
      const job = await queues.submit.getJob(ids.paymentInformationId);
      expect(job?.data.request.paymentInformationId).to.equal(ids.paymentInformationId);
    }
    const invalid = tracked.filter((b) => b.status === 'invalid');
    expect(invalid.length).to.equal(s.byStatus.invalid ?? 0);
    for (const b of invalid) expect(b.reason).to.match(new RegExp(`^[A-Z_]+: Bill ${b.name.replace(/\//g, '\\/')}: `));
  });

  it('a second run collects nothing and queues nothing', async () => {
    const config = configFor(odooServer);
    queues = await StetpayQueues.open({ connection: redis.url, prefix: config.redis.prefix });
    await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
    const jobs = await queues.submit.count();
    const again = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
    expect(again.bills).to.equal(0);
    expect(again.enqueued).to.equal(0);
    expect(await queues.submit.count()).to.equal(jobs);
  });

  it('NEVER-TWICE refuses to resubmit a bill whose earlier attempt the ledger says the bank has; sends a new attempt after a rejection', async () => {
    const config = configFor(odooServer);
    queues = await StetpayQueues.open({ connection: redis.url, prefix: config.redis.prefix });
    const first = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
    const [sentBill, rejectedBill] = first.queuedBillIds;
    const sent = paymentIds(odooServer.database, sentBill!, 1);
    const rejected = paymentIds(odooServer.database, rejectedBill!, 1);
    // The workers' ledger: one payment accepted by the bank, one refused for good.
    await queues.ledger.claim({ paymentInformationId: sent.paymentInformationId, token: 't1', billId: sentBill!, endToEndId: sent.endToEndId });
    await queues.ledger.markSent(sent.paymentInformationId, { resourceId: 'PR-1' });
    await queues.ledger.claim({ paymentInformationId: rejected.paymentInformationId, token: 't2', billId: rejectedBill!, endToEndId: rejected.endToEndId });
    await queues.ledger.markFinal(rejected.paymentInformationId, { status: 'rejected', reason: 'AC01' });
    // A person clears both statuses to resubmit them.
    await writeBillUpdates(odoo, [sentBill!, rejectedBill!].map((billId) => ({ billId, values: { x_stet_status: false } })));

    const second = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
    expect(second.bills).to.equal(2);
    const [a, b] = await Promise.all([readTrackedBills(odoo, { billIds: [sentBill!] }), readTrackedBills(odoo, { billIds: [rejectedBill!] })]);
    expect(a[0]!.status).to.equal('needs_review');
    expect(a[0]!.reason).to.contain(`payment ${sent.endToEndId} (attempt 1) may already be at the bank: the bank accepted it (resource PR-1) (ledger: sent)`);
    expect(b[0]!.status).to.equal('queued');
    expect(b[0]!.attempt).to.equal(2);
    expect(b[0]!.endToEndId).to.equal(paymentIds(odooServer.database, rejectedBill!, 2).endToEndId);
    expect(second.queuedBillIds).to.deep.equal([rejectedBill]);
  });

  it('RUN-RESERVE the reservation records in Odoo exactly the request the job holds: its text, SHA-256, recipient, amount and currency', async () => {
    const config = configFor(odooServer);
    queues = await StetpayQueues.open({ connection: redis.url, prefix: config.redis.prefix });
    const s = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
    for (const billId of s.queuedBillIds.slice(0, 5)) {
      const rec = odooServer.store.read('account.move', [billId])[0]!;
      const job = await queues.submit.getJob(String(rec.x_stet_payment_information_id));
      expect(rec.x_stet_request).to.equal(requestText(job!.data.request));
      expect(rec.x_stet_request_digest).to.equal(requestDigest(String(rec.x_stet_request)));
      const tx = job!.data.request.creditTransferTransaction[0]!;
      expect(rec).to.include({ x_stet_reserved_iban: tx.beneficiary.creditorAccount.iban, x_stet_reserved_amount: tx.instructedAmount.amount, x_stet_reserved_currency: 'EUR', x_stet_closed_attempt: 0 });
      expect(job!.data.request.supplementaryData!.successfulReportUrl, 'consent links are not stored').to.equal(undefined);
    }
  });

  it('RUN-POISON an attempt number stetpay never writes (-2, 9999999, -1, 1.5) marks that bill needs_review naming it; the run goes on and queues the good bills, on every later run too', async () => {
    const config = configFor(odooServer);
    queues = await StetpayQueues.open({ connection: redis.url, prefix: config.redis.prefix });
    const dry = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), now: NOW });
    const [a, b, c, d] = dry.queuedBillIds as [number, number, number, number];
    const poison: [number, number][] = [[a, -2], [b, 9_999_999], [c, -1], [d, 1.5]];
    for (const [id, attempt] of poison) odooServer.store.update('account.move', id, { x_stet_attempt: attempt });
    const s = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
    expect(s.queuedBillIds).to.have.length(dry.queuedBillIds.length - 4);
    for (const [id, attempt] of poison) {
      const problem = s.invalid.find((p) => p.billId === id)!;
      const name = String(odooServer.store.read('account.move', [id])[0]!.name);
      expect(problem).to.deep.include({ status: 'needs_review', billName: name });
      expect(problem.reasons[0]).to.include({ code: 'ATTEMPT_INVALID', rule: 'NEVER-TWICE' });
      expect(problem.reasons[0]!.message).to.contain(`Bill ${name}: its payment attempt number (x_stet_attempt = ${attempt}) is not one stetpay writes`);
      const [bill] = await readTrackedBills(odoo, { billIds: [id] });
      expect(bill).to.include({ status: 'needs_review', paymentInformationId: null });
    }
    const again = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
    expect(again.bills).to.equal(0);
  });

  it('RUN-CLEARED a status cleared by hand after the ledger entry is gone: no attempt n+1 without proof (needs_review naming the evidence); with Odoo\'s closed attempt, attempt 2', async () => {
    const config = configFor(odooServer);
    queues = await StetpayQueues.open({ connection: redis.url, prefix: config.redis.prefix });
    const first = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
    const [lost, closed, stillQueued] = first.queuedBillIds as [number, number, number];
    // the workers sent them; then Redis lost (or expired) everything
    await queues.redis.flushall();
    await writeBillUpdates(odoo, [lost, closed, stillQueued].map((billId) => ({ billId, values: { x_stet_status: false } })));
    await writeBillUpdates(odoo, [{ billId: closed, values: { x_stet_closed_attempt: 1 } }]);
    // stillQueued: its job is waiting again (a sweeper ran) when the person clears it
    const pid3 = paymentIds(odooServer.database, stillQueued, 1).paymentInformationId;
    await queues.submit.add('submit-payment', { billId: stillQueued } as never, { jobId: pid3, delay: 60_000 });
    const second = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
    expect(second.queuedBillIds).to.deep.equal([closed]);
    const [l] = await readTrackedBills(odoo, { billIds: [lost] });
    expect(l).to.include({ status: 'needs_review', attempt: 1 });
    expect(l!.reason).to.contain('may already be at the bank: Redis has no trace of it (no job, no ledger entry: Redis was lost, or its record expired after 40 days) and Odoo does not record it closed');
    expect(l!.reason).to.contain(`stetpay resolve ${l!.name} --not-at-bank`);
    const [q] = await readTrackedBills(odoo, { billIds: [stillQueued] });
    expect(q!.reason).to.contain('it is still queued for the bank (job delayed)');
    const [c] = await readTrackedBills(odoo, { billIds: [closed] });
    expect(c).to.include({ status: 'queued', attempt: 2, closedAttempt: 1 });
  });

  it('RUN-RETIRE a bill cleared by hand whose job ended without reaching the bank: attempt 1 is retired atomically, then attempt 2 is reserved', async () => {
    const config = configFor(odooServer);
    queues = await StetpayQueues.open({ connection: redis.url, prefix: config.redis.prefix });
    const first = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
    const billId = first.queuedBillIds[0]!;
    const ids = paymentIds(odooServer.database, billId, 1);
    // its job completed without reaching the bank (8 refused connections): no ledger entry, the job remains
    const job = await queues.submit.getJob(ids.paymentInformationId);
    await queues.submit.obliterate({ force: true });
    await queues.submit.add('submit-payment', job!.data, { jobId: ids.paymentInformationId });
    const { Worker } = await import('bullmq');
    const w = new Worker(queues.submit.name, async () => ({ kind: 'left_queued' }), { connection: { url: redis.url } as never, prefix: config.redis.prefix });
    try {
      for (let i = 0; i < 200 && (await queues.submit.getJobState(ids.paymentInformationId)) !== 'completed'; i++) await new Promise((r) => setTimeout(r, 25));
    } finally {
      await w.close();
    }
    expect(await queues.submit.getJobState(ids.paymentInformationId)).to.equal('completed');
    await writeBillUpdates(odoo, [{ billId, values: { x_stet_status: false } }]);
    const second = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
    expect(second.queuedBillIds).to.include(billId);
    expect(await queues.ledger.get(ids.paymentInformationId)).to.include({ state: 'final', status: 'withdrawn' });
    expect(await queues.ledger.claim({ paymentInformationId: ids.paymentInformationId, token: 'late', billId, endToEndId: ids.endToEndId })).to.equal(CLAIM.DONE);
  });

  it('RECOVERY-13 a cleared bill of a request of several transfers (stet-1.6) is judged by that request: the evidence names it; a request never sent is retired only once every bill of it is back, then each gets attempt 2; a hand-edited request id proves nothing', async () => {
    const base = configFor(odooServer);
    const config = { ...base, bank: { ...base.bank, maxTransactionsPerRequest: 2 } };
    const profile = getBankProfile('stet-1.6');
    queues = await StetpayQueues.open({ connection: redis.url, prefix: config.redis.prefix });
    const first = await runPayments({ odoo, config, profile, queues, now: NOW });
    const tracked = await readTrackedBills(odoo, { billIds: first.queuedBillIds });
    const byPid = new Map<string, typeof tracked>();
    for (const b of tracked) byPid.set(b.paymentInformationId!, [...(byPid.get(b.paymentInformationId!) ?? []), b]);
    const pairs = [...byPid].filter(([p, ms]) => p.startsWith('SPB-') && ms.length === 2);
    expect(pairs.length).to.be.at.least(2);
    const [[pid, members], [otherPid, others]] = pairs as [[string, typeof tracked], [string, typeof tracked]];
    const [a, b] = members as [(typeof tracked)[number], (typeof tracked)[number]];
    // request `pid`: its job completed without reaching the bank (no ledger entry, the job remains)
    const job = await queues.submit.getJob(pid);
    const otherJob = await queues.submit.getJob(otherPid);
    await queues.submit.obliterate({ force: true });
    await queues.submit.add('submit-payment', job!.data, { jobId: pid });
    const { Worker } = await import('bullmq');
    const w = new Worker(queues.submit.name, async () => ({ kind: 'left_queued' }), { connection: { url: redis.url } as never, prefix: config.redis.prefix });
    try {
      for (let i = 0; i < 200 && (await queues.submit.getJobState(pid)) !== 'completed'; i++) await new Promise((r) => setTimeout(r, 25));
    } finally {
      await w.close();
    }
    await queues.submit.add('submit-payment', otherJob!.data, { jobId: otherPid, delay: 600_000 });
    // only bill a is put back: b may still be sent under the request, so nothing is retired
    await writeBillUpdates(odoo, [{ billId: a.billId, values: { x_stet_status: false } }]);
    const second = await runPayments({ odoo, config, profile, queues, now: NOW });
    expect(second.queuedBillIds).to.deep.equal([]);
    const [a2] = await readTrackedBills(odoo, { billIds: [a.billId] });
    expect(a2).to.include({ status: 'needs_review', attempt: 1 });
    expect(a2!.reason).to.contain(`may already be at the bank: it is recorded as one of the transfers of payment ${pid}, which was never sent (its job ended without reaching the bank), but bill ${b.name} of it is not back among the approved ones`);
    expect(await queues.ledger.get(pid)).to.equal(null);
    // both put back: the request is retired once, and each bill gets attempt 2
    await writeBillUpdates(odoo, [a.billId, b.billId].map((billId) => ({ billId, values: { x_stet_status: false } })));
    const third = await runPayments({ odoo, config, profile, queues, now: NOW });
    expect([...third.queuedBillIds].sort()).to.deep.equal([a.billId, b.billId].sort());
    expect(await queues.ledger.get(pid)).to.include({ state: 'final', status: 'withdrawn' });
    expect(await queues.ledger.claim({ paymentInformationId: pid, token: 'late', billId: a.billId, endToEndId: paymentIds(odooServer.database, a.billId, 1).endToEndId })).to.equal(CLAIM.DONE);
    const again = await readTrackedBills(odoo, { billIds: [a.billId, b.billId] });
    expect(again.map((x) => [x.status, x.attempt, x.closedAttempt])).to.deep.equal([['queued', 2, 1], ['queued', 2, 1]]);
    // the new request was accepted by the bank; b cleared by hand: refused, the evidence names the request
    const pid2 = again[0]!.paymentInformationId!;
    expect(pid2).to.match(/^SPB-/);
    expect(await queues.ledger.claim({ paymentInformationId: pid2, token: 't', billId: again[0]!.billId, endToEndId: again[0]!.endToEndId! })).to.equal(CLAIM.FRESH);
    expect(await queues.ledger.markSent(pid2, { resourceId: 'R-13' })).to.equal(true);
    await writeBillUpdates(odoo, [{ billId: b.billId, values: { x_stet_status: false } }]);
    expect((await runPayments({ odoo, config, profile, queues, now: NOW })).queuedBillIds).to.deep.equal([]);
    const [b3] = await readTrackedBills(odoo, { billIds: [b.billId] });
    expect(b3).to.include({ status: 'needs_review', attempt: 2 });
    expect(b3!.reason).to.contain(`may already be at the bank: it is recorded as one of the transfers of payment ${pid2}, and of that request: the bank accepted it (resource R-13) (ledger: sent)`);
    // a bill of the other request, its id changed by hand to a request the ledger records withdrawn: no proof, nothing sent
    const c = others[0]!;
    await writeBillUpdates(odoo, [{ billId: c.billId, values: { x_stet_status: false, x_stet_payment_information_id: pid } }]);
    await queues.submit.remove(otherPid);
    expect((await runPayments({ odoo, config, profile, queues, now: NOW })).queuedBillIds).to.deep.equal([]);
    const [c2] = await readTrackedBills(odoo, { billIds: [c.billId] });
    expect(c2).to.include({ status: 'needs_review', attempt: 1 });
    expect(c2!.reason).to.contain(`may already be at the bank: it is recorded as one of the transfers of payment ${pid}, which the ledger records withdrawn, but Redis holds no job of that request listing this bill's attempt 1`);
  });

  it('NWM-17 a run with no registered-beneficiary list says the bank will check them; with the list, no warning', async () => {
    const config = configFor(odooServer);
    const profile = getBankProfile('nwm-18919');
    const without = { ...config, bank: { ...config.bank, registeredBeneficiaries: undefined } };
    const dry = await runPayments({ odoo, config: without, profile, now: NOW });
    expect(dry.warnings).to.deep.equal([
      'Natixis Wealth Management France only pays beneficiaries registered in its online banking (NWM-17), and no list is configured (bank.registeredBeneficiaries): ' +
        'stetpay cannot check them before sending, so the bank refuses an unregistered one after the run (the bill then shows rejected).',
    ]);
    const withList = { ...config, bank: { ...config.bank, registeredBeneficiaries: odooServer.seedInfo!.registeredIbans } };
    expect((await runPayments({ odoo, config: withList, profile, now: NOW })).warnings).to.deep.equal([]);
    expect((await runPayments({ odoo, config: without, profile: getBankProfile('stet-1.6'), now: NOW })).warnings).to.deep.equal([]);
  });

  it('RUN-LOCK two runs at once: one takes the run lock, the other does nothing and says who holds it', async () => {
    const config = configFor(odooServer);
    queues = await StetpayQueues.open({ connection: redis.url, prefix: config.redis.prefix });
    const profile = getBankProfile('nwm-18919');
    const results = await Promise.allSettled([runPayments({ odoo, config, profile, queues, now: NOW }), runPayments({ odoo, config, profile, queues, now: NOW })]);
    const done = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof runPayments>>> => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(done).to.have.length(1);
    expect(refused).to.have.length(1);
    expect(refused[0]!.reason).to.be.instanceOf(RunInProgressError);
    expect((refused[0]!.reason as Error).message).to.match(/^another stetpay run is in progress \(.+:\d+, since \d{4}-\d\d-\d\dT.+\): nothing was read, reserved or queued; wait for it to end$/);
    expect(await queues.submit.getWaitingCount()).to.equal(done[0]!.value.enqueued);
    // released at the end: the next run may go (and finds nothing left to take)
    expect((await runPayments({ odoo, config, profile, queues, now: NOW })).bills).to.equal(0);
  });

  it('RUN-TAKEN a bill that already has a stetpay status is never reserved again, whatever domain the config gives', async () => {
    const config = configFor(odooServer);
    queues = await StetpayQueues.open({ connection: redis.url, prefix: config.redis.prefix });
    const profile = getBankProfile('nwm-18919');
    const first = await runPayments({ odoo, config, profile, queues, now: NOW });
    // A domain that forgets `x_stet_status = False` reads the bills the first run took.
    const loose = { ...config, odoo: { ...config.odoo, approvedDomain: [['move_type', '=', 'in_invoice'] as [string, string, unknown], ['x_stet_approved', '=', true] as [string, string, unknown]] } };
    const second = await runPayments({ odoo, config: loose, profile, queues, now: NOW });
    expect(second.alreadyTaken).to.equal(first.byStatus.queued! + first.byStatus.invalid!);
    // (the loose domain also reads bills flagged "to check", which the default leaves out: those are new)
    expect(second.queuedBillIds.filter((id) => first.queuedBillIds.includes(id))).to.deep.equal([]);
    expect(second.invalid.filter((p) => first.invalid.some((f) => f.billId === p.billId))).to.deep.equal([]);
    const again = await readTrackedBills(odoo, { billIds: first.queuedBillIds });
    expect(again.every((b) => b.status === 'queued' && b.attempt === 1)).to.equal(true);
  });

  it('SYNC-ONLY the runtime of `stetpay sync --wait` syncs and sweeps but sends nothing: sending is the workers\' job', async () => {
    const config = configFor(odooServer);
    queues = await StetpayQueues.open({ connection: redis.url, prefix: config.redis.prefix });
    const run = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
    const postsBefore = bank.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/payment-requests')).length;
    const runtime = await startWorkerRuntime(config, { logger: createLogger({ level: 'silent' }), callbackServer: false, workers: false });
    try {
      await runtime.syncNow();
      await new Promise((r) => setTimeout(r, 300)); // a submit worker, if any, would have started by now
    } finally {
      await runtime.close();
    }
    expect(bank.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/payment-requests')).length).to.equal(postsBefore);
    expect(await queues.submit.getWaitingCount()).to.equal(run.enqueued);
  });

  describe('stetpay resolve --not-at-bank', () => {
    /** A run, then bill 0 of it made needs_review at attempt 1 as the worker records an unknown fate. */
    async function blockedBill(): Promise<{ config: ReturnType<typeof configFor>; billId: number; ids: ReturnType<typeof paymentIds> }> {
      const config = configFor(odooServer);
      queues = await StetpayQueues.open({ connection: redis.url, prefix: config.redis.prefix });
      const first = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
      const billId = first.queuedBillIds[0]!;
      const ids = paymentIds(odooServer.database, billId, 1);
      await queues.submit.remove(ids.paymentInformationId); // its job ran: settled
      await queues.ledger.claim({ paymentInformationId: ids.paymentInformationId, token: 't', billId, endToEndId: ids.endToEndId });
      await queues.ledger.markFinal(ids.paymentInformationId, { status: 'needs_review', reason: 'answer lost' });
      await writeBillUpdates(odoo, [{ billId, values: { x_stet_status: 'needs_review', x_stet_status_reason: 'answer lost', x_stet_resource_id: 'PR-9' } }]);
      return { config, billId, ids };
    }
    const deps = (over: Partial<ResolveDeps> = {}): ResolveDeps => ({
      odoo,
      ledger: queues.ledger,
      jobState: (pid) => queues.submit.getJobState(pid),
      bankStatus: async () => {
        throw new BankNotFoundError('404 not found', { status: 404 });
      },
      by: 'Ana Treasurer',
      now: () => new Date('2026-11-25T10:00:00Z'),
      ...over,
    });

    it('RESOLVE-01 retires the ids in the ledger, puts the bill back among the approved, and the next run sends attempt 2 with new ids', async () => {
      const { config, billId, ids } = await blockedBill();
      const r = await resolveNotAtBank(deps(), String(billId));
      expect(r.message).to.match(new RegExp(`payment ${ids.endToEndId} recorded as not at the bank; the next run sends a new payment \\(attempt 2, new ids\\)`));
      const entry = await queues.ledger.get(ids.paymentInformationId);
      expect(entry).to.include({ state: 'released' });
      expect(entry!.reason).to.equal(`Ana Treasurer confirmed on 2026-11-25 10:00:00 UTC that the bank does not have payment ${ids.endToEndId} (attempt 1; stetpay resolve --not-at-bank)`);
      const [bill] = await readTrackedBills(odoo, { billIds: [billId] });
      expect(bill).to.include({ status: null, resourceId: null, attempt: 1, endToEndId: ids.endToEndId });
      // the retired ids are never sent again: a claim on them answers "done"
      expect(await queues.ledger.claim({ paymentInformationId: ids.paymentInformationId, token: 'late', billId, endToEndId: ids.endToEndId })).to.equal(CLAIM.DONE);
      const next = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
      expect(next.queuedBillIds).to.deep.equal([billId]);
      const [after] = await readTrackedBills(odoo, { billIds: [billId] });
      expect(after).to.include({ status: 'queued', attempt: 2, endToEndId: paymentIds(odooServer.database, billId, 2).endToEndId });
    });

    it('RESOLVE-02 refuses a payment that is not blocked (submitted), a job still in hand, and one the bank still knows; nothing changes', async () => {
      const { billId, ids } = await blockedBill();
      const refusal = (p: Promise<unknown>) => p.then(() => expect.fail('must refuse'), (e: unknown) => e as ResolveRefusedError);

      const known = await refusal(resolveNotAtBank(deps({ bankStatus: async () => 'ACSP' }), String(billId)));
      expect(known.refusal).to.equal('known_at_bank');
      expect(known.message).to.contain('the bank still knows payment');

      const inHand = await refusal(resolveNotAtBank(deps({ jobState: async () => 'delayed' }), String(billId)));
      expect(inHand.refusal).to.equal('in_hand');

      // a live claim of a worker (taken a moment ago) also holds it
      await queues.redis.del(queues.ledger.key(ids.paymentInformationId));
      await queues.ledger.claim({ paymentInformationId: ids.paymentInformationId, token: 'live', billId, endToEndId: ids.endToEndId });
      const sending = await refusal(resolveNotAtBank(deps(), String(billId)));
      expect(sending.refusal).to.equal('in_hand');
      expect(await queues.ledger.get(ids.paymentInformationId)).to.include({ state: 'sending', token: 'live' });

      await writeBillUpdates(odoo, [{ billId, values: { x_stet_status: 'submitted' } }]);
      const notBlocked = await refusal(resolveNotAtBank(deps(), String(billId)));
      expect(notBlocked.refusal).to.equal('not_blocked');
      expect(notBlocked.message).to.match(/is submitted: resolve is only for a payment whose fate stetpay could not tell/);
      const [bill] = await readTrackedBills(odoo, { billIds: [billId] });
      expect(bill).to.include({ status: 'submitted', resourceId: 'PR-9' });
    });
    it('RESOLVE-03 after the bank said it already has these ids (a lost answer, then "duplicate"): refused, naming that evidence; nothing released, the next run sends nothing', async () => {
      const { config, billId, ids } = await blockedBill();
      await queues.ledger.markFinal(ids.paymentInformationId, { status: 'needs_review', reason: 'dup', evidence: 'duplicate' });
      await writeBillUpdates(odoo, [{ billId, values: { x_stet_resource_id: false } }]); // a lost answer never has a resource id
      const e = await resolveNotAtBank(deps(), String(billId)).then(() => expect.fail('must refuse'), (err: unknown) => err as ResolveRefusedError);
      expect(e.refusal).to.equal('at_bank');
      expect(e.message).to.contain(`stetpay's records say the bank has payment ${ids.endToEndId}: the bank answered that it already has a payment with these ids (ledger: needs_review)`);
      expect(await queues.ledger.get(ids.paymentInformationId)).to.include({ state: 'final', status: 'needs_review', evidence: 'duplicate' });
      expect((await readTrackedBills(odoo, { billIds: [billId] }))[0]!.status).to.equal('needs_review');
      expect((await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW })).queuedBillIds).to.deep.equal([]);
    });

    it('RECOVERY-10 the bank said it has the payment (duplicate, or accepted without a reference), then Redis lost the ledger: resolve still refuses, on the evidence Odoo kept; nothing released, the next run sends nothing', async () => {
      const { config, billId, ids } = await blockedBill();
      for (const [code, phrase] of [
        ['DUPLICATE', 'the bank answered that it already has a payment with these ids'],
        ['NO_REFERENCE', 'the bank accepted it without giving a reference'],
      ] as const) {
        // what the worker writes (send-reserved-payment), then the ledger is gone
        await writeBillUpdates(odoo, [needsReviewUpdate({ billId, ids, attempt: 1, reason: 'the bank has it', bankStatus: code })]);
        await writeBillUpdates(odoo, [{ billId, values: { x_stet_resource_id: false } }]);
        await queues.redis.del(queues.ledger.key(ids.paymentInformationId));
        const e = await resolveNotAtBank(deps(), String(billId)).then(() => expect.fail('must refuse'), (err: unknown) => err as ResolveRefusedError);
        expect(e.refusal).to.equal('at_bank');
        expect(e.message).to.contain(`stetpay's records say the bank has payment ${ids.endToEndId}: ${phrase} (Odoo: bank status ${code})`);
        expect(await queues.ledger.get(ids.paymentInformationId)).to.equal(null);
        expect((await readTrackedBills(odoo, { billIds: [billId] }))[0]).to.include({ status: 'needs_review', bankStatus: code });
      }
      expect((await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW })).queuedBillIds).to.deep.equal([]);
    });

    it('RESOLVE-04 never releases an entry recorded as sent, and asks the bank with every resource id stetpay knows (the ledger\'s too)', async () => {
      const { billId, ids } = await blockedBill();
      await writeBillUpdates(odoo, [{ billId, values: { x_stet_resource_id: false } }]);
      await queues.redis.del(queues.ledger.key(ids.paymentInformationId));
      await queues.ledger.claim({ paymentInformationId: ids.paymentInformationId, token: 't', billId, endToEndId: ids.endToEndId });
      await queues.ledger.markSent(ids.paymentInformationId, { resourceId: 'PR-SENT' });
      const sent = await resolveNotAtBank(deps(), String(billId)).then(() => expect.fail('must refuse'), (err: unknown) => err as ResolveRefusedError);
      expect(sent.refusal).to.equal('at_bank');
      expect(sent.message).to.contain('the bank accepted it (resource PR-SENT) (ledger: sent)');
      expect(await queues.ledger.get(ids.paymentInformationId)).to.include({ state: 'sent' });
      // a lost answer whose resource id only the ledger kept: the bank is asked with it
      await queues.redis.del(queues.ledger.key(ids.paymentInformationId));
      await queues.ledger.claim({ paymentInformationId: ids.paymentInformationId, token: 't', billId, endToEndId: ids.endToEndId });
      await queues.ledger.markFinal(ids.paymentInformationId, { status: 'needs_review', reason: 'lost', evidence: 'lost_answer', resourceId: 'PR-LEDGER' });
      const asked: string[] = [];
      const known = await resolveNotAtBank(deps({ bankStatus: async (r) => (asked.push(r), 'ACTC') }), String(billId)).then(() => expect.fail('must refuse'), (err: unknown) => err as ResolveRefusedError);
      expect(known.refusal).to.equal('known_at_bank');
      expect(asked).to.deep.equal(['PR-LEDGER']);
    });

    it('RESOLVE-05 a lost answer with no other evidence is what the person settles: allowed, the note names the evidence overridden, the attempt is recorded closed', async () => {
      const { billId, ids } = await blockedBill();
      await queues.ledger.markFinal(ids.paymentInformationId, { status: 'needs_review', reason: 'lost', evidence: 'lost_answer' });
      await resolveNotAtBank(deps(), String(billId));
      const [bill] = await readTrackedBills(odoo, { billIds: [billId] });
      expect(bill).to.include({ status: null, closedAttempt: 1 });
      const notes = odooServer.store.read('mail.message', odooServer.store.search('mail.message', [['res_id', '=', billId]])).map((m) => String(m.body));
      expect(notes.some((n) => n.includes('Ana Treasurer confirmed') && n.includes('overriding what stetpay knew: every try failed and one may have reached the bank (its answer was lost) (ledger: needs_review) (the bank no longer knows PR-9)'))).to.equal(true);
    });

    it('RESOLVE-06 an expired payment the bank accepted and no longer knows: the attempt is closed in Odoo, the ledger keeps it sent (its ids never re-sent), the next run sends attempt 2', async () => {
      const { config, billId, ids } = await blockedBill();
      await queues.redis.del(queues.ledger.key(ids.paymentInformationId));
      await queues.ledger.claim({ paymentInformationId: ids.paymentInformationId, token: 't', billId, endToEndId: ids.endToEndId });
      await queues.ledger.markSent(ids.paymentInformationId, { resourceId: 'PR-9' });
      await writeBillUpdates(odoo, [{ billId, values: { x_stet_status: 'expired' } }]);
      await resolveNotAtBank(deps(), String(billId));
      expect(await queues.ledger.get(ids.paymentInformationId)).to.include({ state: 'sent' });
      const next = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
      expect(next.queuedBillIds).to.deep.equal([billId]);
    });

    describe('stetpay retry', () => {
      const retryDeps = (over: Partial<RetryDeps> = {}): RetryDeps => ({ odoo, ledger: queues.ledger, jobState: (pid) => queues.submit.getJobState(pid), by: 'Ana Treasurer', now: () => new Date('2026-11-25T10:00:00Z'), ...over });

      it('RETRY-01 a rejected bill is cleared with a note naming who, its attempt recorded closed, and the next run sends attempt 2', async () => {
        const { config, billId, ids } = await blockedBill();
        await queues.ledger.markFinal(ids.paymentInformationId, { status: 'rejected', reason: 'AC01' });
        await writeBillUpdates(odoo, [{ billId, values: { x_stet_status: 'rejected', x_stet_resource_id: false } }]);
        const r = await retryPayment(retryDeps(), String(billId));
        expect(r.message).to.match(/rejected cleared; the next run sends a new payment \(attempt 2, new ids\)/);
        const [bill] = await readTrackedBills(odoo, { billIds: [billId] });
        expect(bill).to.include({ status: null, closedAttempt: 1 });
        const notes = odooServer.store.read('mail.message', odooServer.store.search('mail.message', [['res_id', '=', billId]])).map((m) => String(m.body));
        expect(notes.some((n) => n.includes('Ana Treasurer asked on 2026-11-25 10:00:00 UTC to send this bill again (stetpay retry)'))).to.equal(true);
        const next = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
        expect(next.queuedBillIds).to.deep.equal([billId]);
      });

      it('RETRY-02 refused when unsafe: needs_review goes through resolve, an invalid bill whose attempt 1 the bank has, a held one (nothing to retry), a queued one, one a worker has in hand', async () => {
        const { billId, ids } = await blockedBill();
        const refusal = (p: Promise<unknown>) => p.then(() => expect.fail('must refuse'), (e: unknown) => e as RetryRefusedError);
        expect((await refusal(retryPayment(retryDeps(), String(billId)))).refusal).to.equal('resolve_first');
        await queues.redis.del(queues.ledger.key(ids.paymentInformationId));
        await queues.ledger.claim({ paymentInformationId: ids.paymentInformationId, token: 't', billId, endToEndId: ids.endToEndId });
        await queues.ledger.markSent(ids.paymentInformationId, { resourceId: 'PR-9' });
        await writeBillUpdates(odoo, [{ billId, values: { x_stet_status: 'invalid' } }]);
        const atBank = await refusal(retryPayment(retryDeps(), String(billId)));
        expect(atBank.refusal).to.equal('at_bank');
        expect(atBank.message).to.contain('may be at the bank: the bank accepted it (resource PR-9) (ledger: sent)');
        expect((await refusal(retryPayment(retryDeps({ jobState: async () => 'active' }), String(billId)))).refusal).to.equal('in_hand');
        await writeBillUpdates(odoo, [{ billId, values: { x_stet_status: 'held', x_stet_status_reason: 'VOP_NO_MATCH: held' } }]);
        const held = await refusal(retryPayment(retryDeps(), String(billId)));
        expect([held.refusal, held.message]).to.deep.equal(['not_retryable', `Bill ${String(odooServer.store.value('account.move', billId, 'name'))} is held before sending (VOP_NO_MATCH: held): nothing was reserved, and every run looks at it again; do what its reason says and the next run pays it. Nothing was changed.`]);
        await writeBillUpdates(odoo, [{ billId, values: { x_stet_status: 'queued' } }]);
        expect((await refusal(retryPayment(retryDeps(), String(billId)))).message).to.contain('To stop it, run stetpay cancel');
        expect((await readTrackedBills(odoo, { billIds: [billId] }))[0]!.status).to.equal('queued');
      });

      it('RECOVERY-12 an invalid bill whose earlier attempt Odoo does not record closed, after Redis lost its record: retry sends the person to resolve, and resolve takes it (no loop); a run that proves an earlier attempt closed records it on the bill it finds invalid', async () => {
        const { config, billId, ids } = await blockedBill();
        await writeBillUpdates(odoo, [{ billId, values: { x_stet_status: 'invalid', x_stet_resource_id: false } }]);
        await queues.redis.del(queues.ledger.key(ids.paymentInformationId)); // Redis lost its record
        const name = String(odooServer.store.value('account.move', billId, 'name'));
        const atBank = await retryPayment(retryDeps(), String(billId)).then(() => expect.fail('must refuse'), (e: unknown) => e as RetryRefusedError);
        expect(atBank.refusal).to.equal('at_bank');
        expect(atBank.message).to.contain('Redis has no trace of it').and.contain(`run stetpay resolve ${name} --not-at-bank`);
        await resolveNotAtBank(deps(), String(billId));
        expect((await readTrackedBills(odoo, { billIds: [billId] }))[0]).to.include({ status: null, closedAttempt: 1 });

        // the run proves attempt 1 closed from the ledger alone (released), finds the bill invalid, and records the proof in Odoo
        await writeBillUpdates(odoo, [{ billId, values: { x_stet_closed_attempt: 0 } }]);
        odooServer.store.update('account.move', billId, { partner_bank_id: false });
        const run = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
        expect(run.invalid.filter((x) => x.billId === billId).map((x) => x.status)).to.deep.equal(['invalid']);
        expect((await readTrackedBills(odoo, { billIds: [billId] }))[0]).to.include({ status: 'invalid', closedAttempt: 1 });
        await queues.redis.del(queues.ledger.key(ids.paymentInformationId)); // and Redis is lost again: retry needs only Odoo
        expect((await retryPayment(retryDeps(), String(billId))).message).to.contain('invalid cleared; the next run sends a new payment (attempt 2, new ids)');
      });
    });
  });

  it('BANK-DOWN-01 the bank probe: up against the sandbox; down (connection refused, nothing sent) when nothing listens, without asking the fallback', async () => {
    const config = configFor(odooServer);
    expect(await bankApiStatus(config.bank)).to.deep.equal({ api: 'up' });
    const down = await bankApiStatus({ ...config.bank, apiBaseUrl: 'https://127.0.0.1:1/stet/psd2/v1.6.2', tokenUrl: 'https://127.0.0.1:1/token', connectTimeoutMs: 1000 }, { fallback: false });
    expect(down).to.deep.equal({
      api: 'down',
      cause: "POST /token: 127.0.0.1:1 refused the connection (ECONNREFUSED): nothing was sent. The bank's API is down, or bank.tokenUrl names the wrong port; try again later.",
      fallback: { kind: 'not-asked' },
    });
  });
});
