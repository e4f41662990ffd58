import { expect } from 'chai';
import type { StetpayQueues } from '../../worker/stetpay-queues.js';
import { SYNC_PAGE_SIZE, syncStatuses } from '../../worker/sync/sync-statuses.js';
import { enqueuePayments } from '../../worker/enqueue-payments.js';
import { SWEEP_PAGE_SIZE, sweepQueuedBills } from '../../worker/sweeper.js';
import type { ReadTrackedBillsOptions } from '../../worker/interfaces/odoo-port.js';
import { queuesPerTest } from '../support/redis-per-suite.js';
import { paymentJob, RecordingBank, RecordingOdoo, trackedBill } from './support.js';

describe('status sync one page of bills at a time (P4: 100k bills)', function () {
  this.timeout(30_000);
  let queues: StetpayQueues;
  queuesPerTest((q) => (queues = q.queues));

  it('SYNC-PAGE-01 2,500 unfinished payments are read in pages of 1,000 by id (each page checked, registered and queued before the next is read); every one checked once', async () => {
    const odoo = new RecordingOdoo();
    const bank = new RecordingBank();
    const reads: ReadTrackedBillsOptions[] = [];
    const read = odoo.readTrackedBills.bind(odoo);
    odoo.readTrackedBills = (opts) => (reads.push(opts), read(opts));
    for (let id = 1; id <= 2500; id++) {
      const status = id % 5 === 0 ? 'queued' : 'submitted'; // not the sync's: skipped by the read, not a gap in the pages
      odoo.bills.set(id, trackedBill(id, { status, resourceId: `R${id}`, endToEndId: `E${id}`, bankStatus: 'ACTC' }));
      bank.statuses.set(`R${id}`, id === 1501 ? { paymentInformationStatus: 'RJCT', statusReasonInformation: 'AM04' } : { paymentInformationStatus: 'ACTC' });
    }
    const pushes: number[] = [];
    const push = queues.writeback.push.bind(queues.writeback);
    const writeback = Object.assign(Object.create(queues.writeback) as typeof queues.writeback, { push: (u: Parameters<typeof push>[0]) => (pushes.push(Array.isArray(u) ? u.length : 1), push(u)) });
    const s = await syncStatuses({ odoo, bank, writeback });
    expect(SYNC_PAGE_SIZE).to.equal(1000);
    // 2,000 submitted: ids 1-1,249 (1,000 of them), 1,251-2,499, then 2,501 and on: none
    expect(reads.map((r) => [r.afterId, r.limit])).to.deep.equal([[0, 1000], [1249, 1000], [2499, 1000]]);
    expect(s).to.include({ checked: 2000, changed: 1 });
    expect(bank.gets).to.have.length(2000);
    expect(new Set(bank.gets).size).to.equal(2000);
    expect(pushes).to.deep.equal([0, 1, 0]);
  });

  it('SYNC-PAGE-02 a consent check (given bills) reads only those bills, in one read', async () => {
    const odoo = new RecordingOdoo();
    const bank = new RecordingBank();
    const reads: ReadTrackedBillsOptions[] = [];
    const read = odoo.readTrackedBills.bind(odoo);
    odoo.readTrackedBills = (opts) => (reads.push(opts), read(opts));
    odoo.bills.set(7, trackedBill(7, { status: 'submitted', resourceId: 'R7', endToEndId: 'E7', bankStatus: 'ACTC' }));
    const s = await syncStatuses({ odoo, bank, writeback: queues.writeback }, { billIds: [7] });
    expect(reads).to.deep.equal([{ billIds: [7] }]);
    expect(s.checked).to.equal(1);
  });

  it('SWEEP-PAGE-01 2,100 queued bills are swept in pages of 1,000 by id: those with a live job left alone, the others given their outcome, whatever their page', async () => {
    const odoo = new RecordingOdoo();
    const reads: ReadTrackedBillsOptions[] = [];
    const read = odoo.readTrackedBills.bind(odoo);
    odoo.readTrackedBills = (opts) => (reads.push(opts), read(opts));
    const live = [5, 999, 1000, 1001, 2100].map((n) => paymentJob(n));
    for (const job of live) odoo.reserve(job);
    await enqueuePayments(queues.submit, live);
    // the others: queued with no payment recorded (set outside stetpay): each made invalid
    for (let id = 1; id <= 2100; id++) if (!odoo.bills.has(id)) odoo.bills.set(id, trackedBill(id, { status: 'queued', paymentInformationId: null }));
    const s = await sweepQueuedBills({ odoo, ledger: queues.ledger, submitQueue: queues.submit, writeback: queues.writeback, database: 'test' });
    expect(SWEEP_PAGE_SIZE).to.equal(1000);
    expect(reads.map((r) => [r.afterId, r.limit])).to.deep.equal([[0, 1000], [1000, 1000], [2000, 1000]]);
    expect(s.queued).to.equal(2100);
    expect(s.live).to.equal(5);
    expect(s.withoutIds).to.have.length(2095);
    expect(s.withoutIds).to.not.include.members([5, 999, 1000, 1001, 2100]);
  });
});
