import { expect } from 'chai';
import { assertClean, Pipeline, seededExpectations, threeWayCheck } from '../support/pipeline-harness.js';

describe('smoke', function () {
  this.timeout(180_000);
  let p: Pipeline;
  before(async () => { p = await Pipeline.start({ invoices: 60 }); });
  after(async () => { await p?.stop(); });
  it('runs', async () => {
    const t0 = Date.now();
    const w = p.startWorker();
    const { summary } = await p.installAndRun();
    console.log('run', Date.now() - t0, JSON.stringify(summary.byStatus), summary.notYetPayable);
    await p.workerReady(w);
    const reserved = p.bills().filter((b) => b.status === 'queued' || b.paymentInformationId).map((b) => b.id);
    const pending = await p.waitSettled(reserved, { timeoutMs: 60_000 });
    console.log('settled', Date.now() - t0, pending.length);
    const r = await threeWayCheck(p, { reservedBillIds: reserved });
    console.log(JSON.stringify({ ...r, mismatches: r.mismatches.slice(0, 5) }));
    const exp = seededExpectations(p);
    const byId = new Map(p.bills().map((b) => [b.id, b]));
    for (const id of p.odoo.seedInfo!.billIds) console.log(id, p.odoo.seedInfo!.problems[id] ?? '-', byId.get(id)!.status);
    assertClean(r, 'smoke');
    expect(exp.paid.length).to.be.greaterThan(0);
  });
});
