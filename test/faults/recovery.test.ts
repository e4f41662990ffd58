/**
 * The recovery paths (issue 10), attacked the way an operator, a clerk or an
 * accident attacks them: workers and commands as child processes, Redis lost
 * at the worst moment, bills edited after reservation. Every scenario ends with
 * the three-way check (bank, ledger, Odoo), which includes "what the bank
 * holds equals what Odoo recorded at reservation". Reduced scale by default;
 * STETPAY_FAULTS=full for larger counts.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { expect } from 'chai';
import { paymentIds } from '../../connector/rules/index.js';
import { assertClean, FULL, Pipeline, scale, seededExpectations, sleep, threeWayCheck, type CheckReport, type PipelineOptions } from '../support/pipeline-harness.js';
import { approveAs, confirmAccountAs } from '../support/approvals.js';
import { figures } from '../support/fault-helpers.js';

/** Short time-outs: a killed worker's job is taken over within seconds (lock = 4 x response time-out). */
const FAST = { bank: { responseTimeoutMs: 1500, connectTimeoutMs: 1500 }, odoo: { timeoutMs: 3000 } };

async function settle(p: Pipeline, billIds: number[], label: string, o: { ledgerMayBeLost?: boolean; neverSent?: number[]; extra?: Record<string, unknown> } = {}): Promise<CheckReport> {
  const pending = await p.waitSettled(billIds, { timeoutMs: scale(120_000, 600_000), sweepEveryMs: 15_000 });
  const r = await threeWayCheck(p, { reservedBillIds: billIds, neverSentBillIds: o.neverSent, ledgerMayBeLost: o.ledgerMayBeLost });
  figures(label, { bills: billIds.length, stillQueued: pending.length, ...r, mismatches: r.mismatches.length, ...o.extra });
  assertClean(r, label);
  expect(pending, 'bills still queued at the end').to.deep.equal([]);
  return r;
}

/** POSTs the bank saw under any attempt (0..3) of these bills. */
function postsOf(p: Pipeline, billIds: number[]): string[] {
  const posts = p.bankPosts();
  return billIds.flatMap((id) => [0, 1, 2, 3].map((a) => paymentIds(p.odoo.database, id, a).paymentInformationId).filter((pid) => posts.has(pid)));
}

/** A registered beneficiary's IBAN other than the bill's current recipient: valid, and the bank would take it. */
function otherIban(p: Pipeline, billId: number): string {
  const st = p.odoo.store;
  const current = String(st.value('res.partner.bank', Number(st.value('account.move', billId, 'partner_bank_id')), 'acc_number')).replace(/\s/g, '').toUpperCase();
  return p.odoo.seedInfo!.registeredIbans.find((i) => i !== current)!;
}

/** Another valid account of the bill's own vendor (as a clerk adds one), made the bill's recipient. */
function switchAccount(p: Pipeline, billId: number, iban: string): void {
  const st = p.odoo.store;
  const current = st.read('res.partner.bank', [Number(st.value('account.move', billId, 'partner_bank_id'))])[0]!;
  const { id: _id, ...copy } = current;
  const other = st.insert('res.partner.bank', { ...copy, acc_number: iban, sequence: 60 });
  st.update('account.move', billId, { partner_bank_id: other });
}

describe(`fault-injection suite: the recovery paths (${FULL ? 'full' : 'CI'} scale)`, function () {
  this.timeout(FULL ? 1_800_000 : 300_000);
  let p: Pipeline | undefined;
  afterEach(async () => {
    await p?.stop();
    p = undefined;
  });
  const start = async (o: Partial<PipelineOptions> & { invoices: number }) => (p = await Pipeline.start({ config: FAST, ...o }));

  it('RECOVERY-1 Redis lost after the bank committed two payments whose answers were lost: export files nothing, sync re-queues them as "may be at the bank", export again files nothing; each bill paid once', async () => {
    const p = await start({ invoices: scale(40, 200), bankFaults: { latencyMs: 150 } });
    const w = p.startWorker({ concurrency: 1 });
    await p.cli(['install']);
    await p.workerReady(w);
    await sleep(500); // the worker's token, fetched at start, is not the faults' to eat
    p.bank.setFaults({ latencyMs: 150, script: ['recordThenDrop', 'recordThenDrop'] });
    const run = await p.cli(['run', '--json', '--no-bank-check']);
    expect(run.code, run.stderr).to.equal(0);
    const exp = seededExpectations(p);
    // the bank commits two POSTs and both answers are lost; then the worker dies and Redis is lost
    while ([...p.bankPosts().values()].flat().filter((s) => s === 'dropped').length < 2) await sleep(10);
    w.kill('SIGKILL');
    await w.exited;
    await p.conn().flushall();
    const committed = p.bank.payments().length;

    const first = await p.cli(['export', 'pain001', '--out', join(p.dir, 'fallback-1.xml')]);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.include('no payment to export');
    expect(existsSync(join(p.dir, 'fallback-1.xml'))).to.equal(false);
    expect(first.stderr).to.include('stetpay has no trace of this payment in Redis').and.not.include('sync --wait');
    const sweep = await p.syncAndSweep();
    expect(sweep.code, sweep.stderr).to.be.oneOf([0, 1]);
    const second = await p.cli(['export', 'pain001', '--out', join(p.dir, 'fallback-2.xml')]);
    expect(second.code, second.stderr).to.equal(0);
    expect(existsSync(join(p.dir, 'fallback-2.xml')), 'a file after the sweep').to.equal(false);
    expect(second.stderr).to.include('the API path has or may have it (ledger: sending');

    p.startWorker({ concurrency: 4 });
    const r = await settle(p, [...exp.paid, ...exp.invalid], 'RECOVERY-1', { ledgerMayBeLost: true, neverSent: exp.invalid, extra: { committed } });
    expect(p.bills().filter((b) => b.status === 'exported')).to.deep.equal([]);
    expect(r.bankPayments).to.equal(exp.paid.length);
    const dropped = [...p.bankPosts()].filter(([, st]) => st.includes('dropped')).map(([pid]) => pid);
    for (const pid of dropped) expect(p.bills().find((b) => b.paymentInformationId === pid)?.status, pid).to.equal('needs_review');
  });

  it('RECOVERY-2 a submitted bill\'s status cleared by hand after its ledger entry is gone: the run never sends attempt 2; needs_review naming the evidence', async () => {
    const p = await start({ invoices: scale(30, 150) });
    const w = p.startWorker({ concurrency: 4 });
    await p.installAndRun();
    await p.workerReady(w);
    const exp = seededExpectations(p);
    expect(await p.waitSettled(exp.paid, { timeoutMs: 90_000 })).to.deep.equal([]);
    await p.stopWorkers();
    const cleared = exp.paid.slice(0, 3);
    for (const id of cleared) p.odoo.store.update('account.move', id, { x_stet_status: false }); // "as the README told clerks to do"
    await p.conn().flushall(); // Redis lost (or the 40 days passed)
    const postsBefore = p.totalBankPosts();
    const { summary } = await p.run();
    expect(summary.enqueued).to.equal(0);
    expect(summary.invalid.map((x) => [x.billId, x.status, x.reasons[0]!.code])).to.have.deep.members(cleared.map((id) => [id, 'needs_review', 'ALREADY_SENT']));
    for (const id of cleared) expect(p.bills().find((b) => b.id === id)!.reason).to.contain('Redis has no trace of it');
    p.startWorker({ concurrency: 4 });
    await settle(p, exp.paid, 'RECOVERY-2', { ledgerMayBeLost: true });
    expect(p.totalBankPosts()).to.equal(postsBefore);
  });

  it('RECOVERY-3 resolve after a lost answer: refused while the bank said it has the ids; a lost answer alone is settled by the person, and attempt 2 is paid once', async () => {
    const p = await start({ invoices: scale(24, 100), config: { ...FAST, worker: { attempts: 2 } } });
    const exp = seededExpectations(p);
    const [held] = exp.paid.slice(-1) as [number];
    p.odoo.store.update('account.move', held, { x_stet_approved: false }); // kept for phase 2
    const w = p.startWorker({ concurrency: 1 });
    await p.cli(['install']);
    await p.workerReady(w);
    await sleep(500);
    p.bank.setFaults({ script: ['recordThenDrop'] }); // the bank commits the first POST, its answer is lost; the re-send is a duplicate
    expect((await p.cli(['run', '--json', '--no-bank-check'])).code).to.equal(0);
    const firstBills = exp.paid.filter((id) => id !== held);
    expect(await p.waitSettled(firstBills, { timeoutMs: 90_000 })).to.deep.equal([]);
    const dup = p.bills().find((b) => firstBills.includes(b.id) && b.status === 'needs_review')!;
    expect(dup, 'the duplicate is needs_review').to.not.equal(undefined);
    const refused = await p.cli(['resolve', dup.name, '--not-at-bank', '--by', 'Ana']);
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.include('the bank answered that it already has a payment with these ids').and.include('Nothing was changed');
    expect(p.bills().find((b) => b.id === dup.id)!.status).to.equal('needs_review');

    // phase 2: two 503s: every try failed, one may have reached the bank (it did not); the person checks and resolves
    p.bank.setFaults({ script: [503, 503] });
    p.odoo.store.update('account.move', held, { x_stet_approved: true });
    expect((await p.cli(['run', '--json', '--no-bank-check'])).code).to.equal(0);
    expect(await p.waitSettled([held], { timeoutMs: 90_000 })).to.deep.equal([]);
    const lost = p.bills().find((b) => b.id === held)!;
    expect(lost.status).to.equal('needs_review');
    const ok = await p.cli(['resolve', lost.name, '--not-at-bank', '--by', 'Ana']);
    expect(ok.code, ok.stderr).to.equal(0);
    expect((await p.run()).summary.enqueued).to.equal(1);
    expect(await p.waitSettled([held], { timeoutMs: 90_000 })).to.deep.equal([]);
    expect(p.bills().find((b) => b.id === held)).to.include({ status: 'submitted', attempt: 2 });
    const r = await settle(p, [...exp.paid, ...exp.invalid], 'RECOVERY-3', { neverSent: exp.invalid });
    expect(r.bankPayments).to.equal(exp.paid.length);
    // nothing more for the duplicate: one payment at the bank, still under attempt 1
    expect(p.bank.payments().filter((x) => x.paymentInformationId.endsWith(`-${dup.id}-2`))).to.deep.equal([]);
  });

  it('RECOVERY-4 bills switched to another account, unapproved, reset to draft, amount changed after reservation, then Redis lost: the sweeper and the workers never send them (needs_review, what changed)', async () => {
    const p = await start({ invoices: scale(40, 200) });
    await p.installAndRun();
    const exp = seededExpectations(p);
    const [switched, unapproved, draft, amount] = exp.paid.slice(0, 4) as [number, number, number, number];
    switchAccount(p, switched, otherIban(p, switched));
    p.odoo.store.update('account.move', unapproved, { x_stet_approved: false });
    p.odoo.store.update('account.move', draft, { state: 'draft' });
    p.odoo.store.update('account.move', amount, { amount_residual: 98765.43 });
    await p.conn().flushall();
    await p.syncAndSweep();
    p.startWorker({ concurrency: 4 });
    const changed = [switched, unapproved, draft, amount];
    await settle(p, exp.paid, 'RECOVERY-4', { ledgerMayBeLost: true, neverSent: changed });
    expect(postsOf(p, changed)).to.deep.equal([]);
    const why = new Map(p.bills().map((b) => [b.id, `${b.status}: ${b.reason}`]));
    expect(why.get(switched)).to.match(/^needs_review: .*its recipient account is now /);
    expect(why.get(unapproved)).to.match(/^needs_review: .*its approval for bank payment was withdrawn/);
    expect(why.get(draft)).to.match(/^needs_review: .*it was reset to draft/);
    expect(why.get(amount)).to.match(/^needs_review: .*its amount due is now 98765\.43 EUR/);
  });

  it('RECOVERY-5 the same changes with Redis intact: the workers\' gate withdraws them (never sent, attempt closed); retry then sends the bill as it is now', async () => {
    const p = await start({ invoices: scale(40, 200) });
    await p.installAndRun();
    const exp = seededExpectations(p);
    const [switched, unapproved, draft, amount] = exp.paid.slice(0, 4) as [number, number, number, number];
    const newIban = otherIban(p, switched);
    switchAccount(p, switched, newIban);
    p.odoo.store.update('account.move', unapproved, { x_stet_approved: false });
    p.odoo.store.update('account.move', draft, { state: 'draft' });
    p.odoo.store.update('account.move', amount, { amount_residual: 98765.43 });
    const w = p.startWorker({ concurrency: 4 });
    await p.workerReady(w);
    const changed = [switched, unapproved, draft, amount];
    await settle(p, exp.paid, 'RECOVERY-5', { neverSent: changed });
    expect(postsOf(p, changed)).to.deep.equal([]);
    for (const id of changed) expect(p.bills().find((b) => b.id === id)!.status, String(id)).to.equal('withdrawn');
    expect(p.odoo.store.value('account.move', switched, 'x_stet_closed_attempt')).to.equal(1);
    // the clerk checked the new account: send the bill as it is now
    const name = p.bills().find((b) => b.id === switched)!.name;
    const retry = await p.cli(['retry', name, '--by', 'Ana']);
    expect(retry.code, retry.stderr).to.equal(0);
    // approved for the old account: held until approved again, and the new account (made today) confirmed by an approver
    expect((await p.run()).summary.enqueued).to.equal(0);
    expect(String(p.odoo.store.value('account.move', switched, 'x_stet_status_reason'))).to.match(/^APPROVAL_CHANGED: .*\(another bank account\): approve it again/);
    await approveAs(p.odoo, 'approver', [switched]);
    await approveAs(p.odoo, 'approver2', [switched]);
    await confirmAccountAs(p.odoo, 'approver', [Number(p.odoo.store.value('account.move', switched, 'partner_bank_id'))]);
    const { summary } = await p.run();
    expect(summary.enqueued).to.equal(1);
    expect(await p.waitSettled([switched], { timeoutMs: 60_000 })).to.deep.equal([]);
    const bill = p.bills().find((b) => b.id === switched)!;
    expect(bill).to.include({ status: 'submitted', attempt: 2 });
    const held = p.bank.payments().find((x) => x.paymentInformationId === bill.paymentInformationId)!;
    expect(JSON.stringify(held.resource)).to.include(newIban);
    assertClean(await threeWayCheck(p, { reservedBillIds: exp.paid }), 'RECOVERY-5 after retry');
  });

  it(`RECOVERY-6 cancel of ${scale(10, 40)} queued payments racing the workers: each is either stopped before the bank (cancelled, never POSTed) or refused and paid once`, async () => {
    // 2 POSTs a second keep the last payments waiting for half a minute: ten cancel processes start well within it even on a loaded machine
    const p = await start({ invoices: scale(60, 200), bankFaults: { latencyMs: 250 }, env: { STETPAY_BANK_RPS: '2' } });
    const w = p.startWorker({ concurrency: 4 });
    await p.cli(['install']);
    await p.workerReady(w);
    await p.run();
    const exp = seededExpectations(p);
    // in the order the workers take them (the run's: due date, then id); spread over the queue, so some are
    // taken by a worker while their cancel runs, and the last ones surely still wait
    const due = (id: number) => String(p.odoo.store.value('account.move', id, 'invoice_date_due') || '');
    const order = [...exp.paid].sort((a, b) => due(a).localeCompare(due(b)) || a - b);
    const n = scale(10, 40);
    const step = Math.max(1, Math.floor(order.length / n));
    const targets = [...new Set([...order.slice(-3), ...order.filter((_, i) => i % step === step - 1)])].slice(0, n);
    const results = await Promise.all(targets.map((id) => p.cli(['cancel', String(id), '--by', 'Ana'])));
    await settle(p, exp.paid, 'RECOVERY-6', { extra: { cancelled: results.filter((r) => r.code === 0).length } });
    let cancelled = 0;
    targets.forEach((id, i) => {
      const r = results[i]!;
      const bill = p.bills().find((b) => b.id === id)!;
      if (r.code === 0) {
        cancelled++;
        expect(bill.status, `${id}: ${r.stdout}`).to.equal('cancelled');
        expect(postsOf(p, [id]), `${id} was cancelled yet POSTed`).to.deep.equal([]);
      } else {
        expect(r.stderr, `${id}: ${r.stderr}`).to.match(/a worker is sending payment|is no longer waiting|has no bank reference yet|does not accept cancellation|the bank already reports it/);
        expect(bill.status, String(id)).to.be.oneOf(['submitted', 'accepted', 'executed']);
      }
    });
    expect(cancelled, 'some payments were stopped before the bank').to.be.greaterThan(0);
  });

  it('RECOVERY-7 a poison attempt (-2, 9999999, -1) among good bills: each is needs_review naming it, the good ones are paid once, no run stops', async () => {
    const p = await start({ invoices: scale(40, 200) });
    const w = p.startWorker({ concurrency: 4 });
    await p.cli(['install']);
    await p.workerReady(w);
    const exp = seededExpectations(p);
    const poison = exp.paid.slice(0, 3);
    [-2, 9_999_999, -1].forEach((a, i) => p.odoo.store.update('account.move', poison[i]!, { x_stet_attempt: a }));
    const { summary } = await p.run();
    expect(summary.invalid.filter((x) => poison.includes(x.billId)).map((x) => [x.status, x.reasons[0]!.code])).to.deep.equal(poison.map(() => ['needs_review', 'ATTEMPT_INVALID']));
    const good = exp.paid.filter((id) => !poison.includes(id));
    expect(summary.enqueued).to.equal(good.length);
    await settle(p, [...good, ...poison], 'RECOVERY-7', { neverSent: poison });
    expect(postsOf(p, poison)).to.deep.equal([]);
    expect((await p.run()).summary.bills).to.equal(0);
  });
});
