/**
 * `on-signatory` without a browser (real Redis, the worker tests' recording
 * Odoo and bank): the page's POST goes through the workers' gate, claim and
 * ledger; two opens at once POST once; a payment reserved for the signatory is
 * never sent by a worker, and the sweeper puts it back in the signatory queue
 * (never the workers') after Redis lost it.
 */
import { expect } from 'chai';
import { BankDuplicateError, BankTransientError } from '../../connector/stet/errors/bank-error.js';
import { openReserved } from '../../plugin/signatory/index.js';
import type { BankCreateResult } from '../../worker/interfaces/bank-port.js';
import { enqueuePayments } from '../../worker/enqueue-payments.js';
import { ReservationGate } from '../../worker/gate/reservation-gate.js';
import { StetpayQueues } from '../../worker/stetpay-queues.js';
import { createSubmitWorker } from '../../worker/submit-worker.js';
import { sweepQueuedBills } from '../../worker/sweeper.js';
import type { TestRedis } from '../support/redis-server.js';
import { paymentJob, RecordingBank, RecordingOdoo } from '../worker/support.js';
import { queuesPerTest } from '../support/redis-per-suite.js';

describe('on-signatory: the page\'s POST through the workers\' gate, claim and ledger (real Redis)', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let queues: StetpayQueues;
  let odoo: RecordingOdoo;
  let bank: RecordingBank;

  queuesPerTest((q) => ({ redis, queues } = q));
  beforeEach(() => {
    odoo = new RecordingOdoo();
    bank = new RecordingBank();
  });
  const open = (pid: string) =>
    openReserved({ send: { bank, ledger: queues.ledger, writeback: queues.writeback, gate: new ReservationGate(odoo, { ttlMs: 0 }) }, ledger: queues.ledger, signatoryQueue: queues.signatory, pollMs: 20 }, pid);

  it('ON-OPEN-01 three opens at once (a double click and a second tab) POST once; all go to the same consent page; the job leaves the signatory queue', async () => {
    const p = paymentJob(5);
    odoo.reserve(p);
    await enqueuePayments(queues.signatory, [p]);
    // The bank takes its time: the other opens find the first one's live claim and wait for its answer.
    bank.script.push(async () => {
      await new Promise((r) => setTimeout(r, 300));
      return { resourceId: 'RES-5', consentUrl: 'https://bank.test/consent/RES-5', requestId: 'req-5', status: 201 } satisfies BankCreateResult;
    });
    const results = await Promise.all([open(p.ids.paymentInformationId), open(p.ids.paymentInformationId), open(p.ids.paymentInformationId)]);
    expect(results).to.deep.equal(Array(3).fill({ kind: 'redirect', url: 'https://bank.test/consent/RES-5' }));
    expect(bank.posts).to.have.length(1);
    expect(await queues.ledger.get(p.ids.paymentInformationId)).to.include({ state: 'sent', resourceId: 'RES-5', claims: 1 });
    expect(await queues.signatory.getJobState(p.ids.paymentInformationId)).to.equal('unknown');
    // Opened again later: the same consent page, no POST.
    expect(await open(p.ids.paymentInformationId)).to.deep.equal({ kind: 'redirect', url: 'https://bank.test/consent/RES-5' });
    expect(bank.posts).to.have.length(1);
  });

  it('ON-OPEN-02 a bill changed since the night\'s run is not POSTed when the signatory opens it: withdrawn, and the page says why', async () => {
    const p = paymentJob(6);
    odoo.reserve(p, { approved: false });
    await enqueuePayments(queues.signatory, [p]);
    const r = await open(p.ids.paymentInformationId);
    expect(r).to.deep.include({ kind: 'refused', refusal: 'not-sent' });
    expect((r as { detail: string }).detail).to.contain('its approval for bank payment was withdrawn');
    expect(bank.posts).to.deep.equal([]);
    expect(await queues.ledger.get(p.ids.paymentInformationId)).to.include({ state: 'final', status: 'withdrawn' });
  });

  it('ON-OPEN-03 the bank silent: nothing decided, the claim released as "may be at the bank"; the next open re-sends the same body, and the bank\'s duplicate refusal makes it needs_review', async () => {
    const p = paymentJob(7);
    odoo.reserve(p);
    await enqueuePayments(queues.signatory, [p]);
    bank.script.push(new BankTransientError('connection reset after send'));
    expect(await open(p.ids.paymentInformationId)).to.deep.equal({ kind: 'refused', refusal: 'bank-silent' });
    expect(await queues.ledger.get(p.ids.paymentInformationId)).to.include({ state: 'sending', token: '' });
    bank.script.push(new BankDuplicateError('500 duplicate unique key', { status: 500 }));
    const r = await open(p.ids.paymentInformationId);
    expect(r).to.deep.include({ kind: 'refused', refusal: 'not-sent' });
    expect(bank.posts.map((x) => x.body)).to.deep.equal([bank.posts[0]!.body, bank.posts[0]!.body]);
    expect(await queues.ledger.get(p.ids.paymentInformationId)).to.include({ state: 'final', status: 'needs_review', evidence: 'duplicate' });
  });

  it('ON-OPEN-04 no worker takes a payment reserved for the signatory; after Redis lost everything the sweeper puts it back in the signatory queue (noting the bank may have it), never to the workers', async () => {
    const p = paymentJob(8);
    odoo.reserve(p);
    await enqueuePayments(queues.signatory, [p]);
    const h = createSubmitWorker({ connection: redis.url, prefix: queues.prefix, requestsPerSecond: 100 }, { bank, odoo });
    try {
      const sweep = () => sweepQueuedBills({ odoo, ledger: queues.ledger, submitQueue: queues.submit, signatoryQueue: queues.signatory, mode: 'on-signatory', writeback: queues.writeback, database: 'test' });
      expect(await sweep()).to.include({ queued: 1, live: 1 });
      await new Promise((r) => setTimeout(r, 300));
      expect(bank.posts).to.deep.equal([]);
      await queues.redis.flushall();
      expect((await sweep()).reenqueued).to.deep.equal([8]);
      expect(await queues.signatory.getJobState(p.ids.paymentInformationId)).to.equal('waiting');
      expect(await queues.submit.getJobState(p.ids.paymentInformationId)).to.equal('unknown');
      expect(await queues.ledger.get(p.ids.paymentInformationId)).to.include({ state: 'sending', uncertain: true, evidence: 'no_trace' });
      await new Promise((r) => setTimeout(r, 300));
      expect(bank.posts, 'still no worker POST').to.deep.equal([]);
    } finally {
      await h.close();
    }
  });
});
