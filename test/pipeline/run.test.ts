/**
 * The product as a finance team runs it: `stetpay install`, `stetpay run`,
 * `stetpay worker` as child processes against real Redis, the Odoo dev server
 * and the bank sandbox. Every test ends with the three-way check.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Queue } from 'bullmq';
import { NIGHTLY_SCHEDULER_ID, SYNC_SCHEDULER_ID } from '../../worker/sync/schedules.js';
import { QUEUE_NAMES } from '../../worker/queue-names.js';
import { assertClean, Pipeline, seededExpectations, threeWayCheck, type RunJson } from '../support/pipeline-harness.js';

describe('pipeline: run, second run, schedule, config errors (child processes)', function () {
  this.timeout(240_000);
  let p: Pipeline;
  let first: RunJson;

  before(async () => {
    p = await Pipeline.start({ invoices: 300 });
  });
  after(async () => {
    await p?.stop();
  });

  it('PIPE-01 a run of 300 bills ends with every bill in its expected status in Odoo', async () => {
    const w1 = p.startWorker({ concurrency: 4 });
    const w2 = p.startWorker({ concurrency: 4 });
    first = (await p.installAndRun()).summary;
    await Promise.all([p.workerReady(w1), p.workerReady(w2)]);
    const exp = seededExpectations(p);
    expect(first.bills, 'approved bills read').to.be.greaterThan(exp.paid.length);
    const pending = await p.waitSettled(exp.paid, { timeoutMs: 120_000 });
    expect(pending, 'still queued').to.deep.equal([]);

    const byId = new Map(p.bills().map((b) => [b.id, b]));
    const info = p.odoo.seedInfo!;
    const wrong: string[] = [];
    for (const id of exp.paid) if (byId.get(id)!.status !== 'submitted') wrong.push(`${id} ${info.problems[id] ?? 'payable'}: ${byId.get(id)!.status}`);
    for (const id of exp.invalid) {
      const b = byId.get(id)!;
      if (b.status !== 'invalid' || !b.reason) wrong.push(`${id} ${info.problems[id]}: ${b.status} (${b.reason})`);
    }
    for (const id of exp.untouched) if (byId.get(id)!.status !== null) wrong.push(`${id} ${info.problems[id]}: ${byId.get(id)!.status}`);
    expect(wrong, 'bills not in their expected status').to.deep.equal([]);
    expect(first.byStatus.queued).to.equal(exp.paid.length);
    expect(first.byStatus.invalid).to.equal(exp.invalid.length);

    const report = await threeWayCheck(p, { reservedBillIds: [...exp.paid, ...exp.invalid], neverSentBillIds: exp.invalid });
    assertClean(report, 'PIPE-01');
    expect(report.bankPayments).to.equal(exp.paid.length);
    expect(report.bankPosts, 'one POST per payment').to.equal(exp.paid.length);
  });

  it('PIPE-02 a second run sends nothing: the bank POST count is unchanged', async () => {
    const before = p.totalBankPosts();
    const { summary } = await p.run();
    expect(summary.enqueued).to.equal(0);
    expect(summary.byStatus.queued ?? 0).to.equal(0);
    await new Promise((r) => setTimeout(r, 2000)); // give the workers a chance to do something wrong
    expect(p.totalBankPosts()).to.equal(before);
    await p.stopWorkers();
    for (const w of p.workers) expect((await w.exited).code, `worker ${w.pid} exit code`).to.equal(0);
  });

  it('PIPE-03 the scheduler upserted twice keeps one schedule per id, with its options', async () => {
    const a = await p.cli(['schedule', '--cron', '0 30 2 * * *', '--tz', 'Europe/Paris']);
    expect(a.code, a.stderr).to.equal(0);
    const b = await p.cli(['schedule', '--cron', '0 45 3 * * *', '--tz', 'Europe/Paris']);
    expect(b.code, b.stderr).to.equal(0);
    const run = new Queue(QUEUE_NAMES.run, { connection: { url: p.redis.url }, prefix: p.prefix });
    const sync = new Queue(QUEUE_NAMES.sync, { connection: { url: p.redis.url }, prefix: p.prefix });
    try {
      const runSchedulers = await run.getJobSchedulers();
      expect(runSchedulers.map((s) => s.key)).to.deep.equal([NIGHTLY_SCHEDULER_ID]);
      expect(runSchedulers[0]!.pattern).to.equal('0 45 3 * * *');
      expect(runSchedulers[0]!.tz).to.equal('Europe/Paris');
      expect(runSchedulers[0]!.template?.opts?.attempts, 'job options kept').to.be.a('number').above(1);
      const syncSchedulers = await sync.getJobSchedulers();
      expect(syncSchedulers.map((s) => s.key)).to.deep.equal([SYNC_SCHEDULER_ID]);
      expect(syncSchedulers[0]!.template?.opts?.attempts).to.be.a('number').above(1);
      // one delayed job per scheduler, not two
      expect((await run.getDelayed()).length).to.equal(1);
    } finally {
      await run.close();
      await sync.close();
    }
  });

  it('PIPE-04 a bad STETPAY_BANK_PROFILE: `stetpay run` exits 1 and names the key and the variable', async () => {
    const r = await p.cli(['run'], { env: { STETPAY_BANK_PROFILE: 'foo' } });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('bank.profile').and.include('STETPAY_BANK_PROFILE').and.include("'foo'");
  });

  it('PIPE-06 on a terminal, `stetpay run --dry-run` shows a progress bar, then the summary table; piped, the summary alone', async () => {
    const r = await p.cli(['run', '--dry-run'], { terminal: true });
    expect(r.code, r.stdout).to.equal(0);
    expect(r.stdout).to.match(/bills checked .* \d+\/\d+/);
    expect(r.stdout).to.include('stetpay run --dry-run: nothing was written or queued.');
    expect(r.stdout).to.match(/bills read\s+\d+/);
    // piped (not a terminal): no bar, the summary alone
    const piped = await p.cli(['run', '--dry-run']);
    expect(piped.code).to.equal(0);
    expect(piped.stdout + piped.stderr).not.to.include('bills checked');
    expect(piped.stdout).to.include('stetpay run --dry-run: nothing was written or queued.');
  });

  it('PIPE-07 Redis unreachable: `stetpay run` exits 1 with a message naming Redis, and reserves nothing', async () => {
    const before = p.odoo.calls()['account.move.load'] ?? 0;
    const r = await p.cli(['run'], { env: { STETPAY_REDIS_URL: 'redis://127.0.0.1:9' } });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/^stetpay run: .*Redis/m);
    expect(p.odoo.calls()['account.move.load'] ?? 0).to.equal(before);
  });

  it('PIPE-05 a missing STETPAY_ODOO_URL: `stetpay run` exits 1 and names odoo.url', async () => {
    const r = await p.cli(['run'], { env: { STETPAY_ODOO_URL: undefined } });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('odoo.url').and.include('STETPAY_ODOO_URL');
  });
});

describe('pipeline: stetpay demo --json (child process, embedded parts)', function () {
  this.timeout(180_000);
  it('DEMO-01 `stetpay demo --json --invoices 30` prints the summary JSON on its last stdout line, exits 0 and leaves no temporary file', async () => {
    const p = await Pipeline.start({ invoices: 1 }); // only for its child launcher: the demo starts its own parts
    // Its own temporary folder, to see what the demo leaves there (it used to leave two, one with private keys).
    const tmp = mkdtempSync(join(tmpdir(), 'stetpay-demo-tmp-'));
    try {
      const env: Record<string, string | undefined> = { TMPDIR: tmp };
      for (const k of Object.keys(p.env)) env[k] = undefined; // a clean machine: no STETPAY_* at all
      const r = await p.cli(['demo', '--json', '--invoices', '30'], { env, timeoutMs: 170_000 });
      expect(readdirSync(tmp), 'left in the temporary folder').to.deep.equal([]);
      expect(r.code, r.stderr.slice(-2000)).to.equal(0);
      const s = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
      expect(s).to.include.keys('bills', 'byStatus', 'invalid', 'bankPosts', 'odooCalls', 'durationMs');
      expect(s.bills).to.be.a('number').above(0);
      expect(s.bankPosts).to.be.a('number').above(0);
      expect(s.odooCalls).to.be.a('number').above(0);
      const byStatus = s.byStatus as Record<string, number>;
      expect(byStatus.queued ?? 0, 'nothing left queued').to.equal(0);
      expect(s.invalid).to.be.an('array');
    } finally {
      await p.stop();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
