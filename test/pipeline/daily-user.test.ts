/**
 * The daily user the README recommends (an invoicing user: Internal User +
 * Billing, no Settings rights) against the dev server applying Odoo's access
 * rules, with `stetpay` as child processes: refused where real Odoo refuses,
 * and every daily command works (run, worker with its chatter notes, sync with
 * payment registration, report).
 */
import { expect } from 'chai';
import { assertClean, Pipeline, seededExpectations, threeWayCheck } from '../support/pipeline-harness.js';

const DAY_MS = 24 * 3600 * 1000;
/** Models only an administrator may read or change: the daily commands never call them. */
const ADMIN_ONLY = /^(ir\.model|ir\.model\.fields|ir\.ui\.view|ir\.config_parameter|mail\.tracking\.value)\.[a-z_]+$|^ir\.model\.data\.(?!check_object_reference$)/;

describe('pipeline: the invoicing user (no Settings rights) runs stetpay day to day', function () {
  this.timeout(240_000);
  let p: Pipeline;

  before(async () => {
    p = await Pipeline.start({ invoices: 16, seed: 3 });
  });
  after(async () => {
    await p?.stop();
  });

  it('USER-01 `stetpay run` before `stetpay install` exits 1 with "run `stetpay install` first", not Odoo\'s ValueError', async () => {
    const r = await p.cli(['run', '--json']);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.equal("stetpay run: Odoo has no field account.move.x_stet_approved: stetpay's fields are not installed in this database; run `stetpay install` first (as a Settings administrator)");
    expect(p.odoo.calls()['account.move.load'] ?? 0).to.equal(0);
  });

  it('USER-02 `stetpay install` as the invoicing user exits 1: it alone needs Settings rights, ask an administrator; nothing is created', async () => {
    const r = await p.cli(['install'], { env: { STETPAY_ODOO_USER: p.odoo.clerk.login, STETPAY_ODOO_PASSWORD: p.odoo.clerk.apiKey } });
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.equal(
      'stetpay install: Odoo user clerk needs Settings administrator (base.group_system) to create fields on vendor bills: `stetpay install` alone needs these rights. ' +
        "Ask an administrator to run it once with their own login and API key; the daily commands then run as clerk. Odoo said: You are not allowed to access 'Models' (ir.model) records.",
    );
    expect(p.odoo.store.field('account.move', 'x_stet_status')).to.equal(undefined);
  });

  it('USER-03 installed by the administrator, the invoicing user runs, sends, syncs, registers the payments and reports, never touching an admin-only model', async () => {
    const install = await p.cli(['install']); // the harness gives install the administrator's key
    expect(install.code, install.stderr).to.equal(0);
    p.odoo.resetCalls();
    const worker = p.startWorker({ concurrency: 2 });
    const { summary } = await p.run();
    await p.workerReady(worker);
    const exp = seededExpectations(p);
    expect(summary.byStatus.queued).to.equal(exp.paid.length);
    expect(await p.waitSettled(exp.paid, { timeoutMs: 90_000 }), 'still queued').to.deep.equal([]);

    // the execution date passes at the bank: the sync sees ACSC and registers each payment in Odoo
    p.bank.advanceClock(31 * DAY_MS); // past every execution date (at most 30 days ahead), within the bank's 35-day retention
    const sync = await p.syncAndSweep();
    expect(sync.code, sync.stderr).to.equal(0);
    const byId = new Map(p.bills().map((b) => [b.id, b]));
    expect(exp.paid.filter((id) => byId.get(id)!.status !== 'executed').map((id) => `${id} ${byId.get(id)!.status} ${byId.get(id)!.reason}`), `not executed; sync said ${sync.stdout} ${sync.stderr}`).to.deep.equal([]);
    const store = p.odoo.store;
    const clerkPartner = store.value('res.users', p.odoo.clerk.uid, 'partner_id');
    for (const id of exp.paid) {
      expect(store.value('account.move', id, 'payment_state'), `bill ${id}`).to.equal('paid');
      const notes = store.read('mail.message', store.search('mail.message', [['model', '=', 'account.move'], ['res_id', '=', id]]));
      expect(notes.length, `notes on bill ${id}`).to.be.at.least(2);
      expect(notes.every((n) => n.author_id === clerkPartner && n.subtype_id === store.xmlidTarget('mail.mt_note')!.resId), `notes on bill ${id} by the clerk`).to.equal(true);
    }
    const payments = store.read('account.payment', store.allIds('account.payment'));
    expect(payments).to.have.length(exp.paid.length);
    expect(payments.every((x) => x.create_uid === p.odoo.clerk.uid)).to.equal(true);

    const report = await p.cli(['report', '--format', 'json']);
    expect(report.code, report.stderr).to.equal(0);
    expect((JSON.parse(report.stdout) as { rows: { status: string }[] }).rows.filter((r) => r.status === 'executed')).to.have.length(exp.paid.length);

    const calls = Object.keys(p.odoo.calls()).filter((c) => ADMIN_ONLY.test(c));
    expect(calls, 'admin-only models called by the daily commands').to.deep.equal([]);
    assertClean(await threeWayCheck(p, { reservedBillIds: [...exp.paid, ...exp.invalid], neverSentBillIds: exp.invalid }), 'USER-03');
    await p.stopWorkers();
  });
});
