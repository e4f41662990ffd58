/**
 * The bank's consent window (issue 13, part 1): each profile states how long
 * the bank keeps a request waiting for the signatory, the sandbox rejects it
 * (RJCT NOAS) when that ends, a submitted bill records the end, and the sync
 * flags a payment whose window ends soon. Real Redis, the bank sandbox over
 * HTTPS; the Odoo side is the worker tests' recording Odoo.
 */
import { expect } from 'chai';
import { getBankProfile } from '../../connector/profiles/index.js';
import type { StetClient } from '../../connector/stet/stet-client.js';
import { submissionSettings } from '../../plugin/connect/open-bank.js';
import type { RunningBankSandbox } from '../../sandbox/bank/index.js';
import { consentEndsSoonReason, consentSoonMs } from '../../worker/consent-window.js';
import { enqueuePayments } from '../../worker/enqueue-payments.js';
import type { WritebackItem } from '../../worker/writeback/writeback-queue.js';
import { StetpayQueues } from '../../worker/stetpay-queues.js';
import { createSubmitWorker } from '../../worker/submit-worker.js';
import { syncStatuses } from '../../worker/sync/sync-statuses.js';
import { WritebackDrainer } from '../../worker/writeback/writeback-drainer.js';
import { paymentRequest } from '../bank/fixtures.js';
import { clientFor, startSandbox } from '../bank/harness.js';
import type { TestRedis } from '../support/redis-server.js';
import { paymentJob, RecordingBank, RecordingOdoo, trackedBill, waitFor } from '../worker/support.js';
import { queuesPerTest } from '../support/redis-per-suite.js';

const MIN = 60_000;

describe('the consent window: stated by the profile, kept by the sandbox, recorded and flagged in Odoo', function () {
  this.timeout(20_000);

  it('CONSENT-01 each profile states how long the bank waits for consent and when stetpay POSTs: nwm-18919 15 minutes, on-signatory; stet-1.6 a day, nightly', () => {
    expect(getBankProfile('nwm-18919')).to.include({ consentWindowMinutes: 15, submissionMode: 'on-signatory' });
    expect(getBankProfile('stet-1.6')).to.include({ consentWindowMinutes: 1440, submissionMode: 'nightly' });
  });

  it('CONSENT-02 the config may set the mode, the window and fewer transfers per request; more than the bank takes is refused, naming the key', () => {
    const nwm = getBankProfile('nwm-18919');
    expect(submissionSettings({}, nwm)).to.deep.equal({ mode: 'on-signatory', consentWindowMs: 15 * MIN, maxTransactionsPerRequest: 1 });
    expect(submissionSettings({ submissionMode: 'nightly', consentWindowMinutes: 30 }, nwm)).to.deep.equal({ mode: 'nightly', consentWindowMs: 30 * MIN, maxTransactionsPerRequest: 1 });
    expect(submissionSettings({ maxTransactionsPerRequest: 20 }, getBankProfile('stet-1.6')).maxTransactionsPerRequest).to.equal(20);
    expect(() => submissionSettings({ maxTransactionsPerRequest: 2 }, nwm)).to.throw(
      'bank.maxTransactionsPerRequest is 2, but Natixis Wealth Management France (nwm-18919) takes at most 1 transfer(s) per request: lower it or remove it',
    );
  });

  describe('the sandbox rejects a request nobody approved within its window (RJCT NOAS)', () => {
    let sb: RunningBankSandbox | undefined;
    let client: StetClient | undefined;
    afterEach(async () => {
      client?.close();
      await sb?.close();
    });
    const statusOf = async (resourceId: string) => (await client!.paymentRequests.retrieve(resourceId)).body.paymentRequest;

    for (const [profile, windowMs] of [['nwm-18919', 15 * MIN], ['stet-1.6', 24 * 60 * MIN]] as const) {
      it(`CONSENT-03 ${profile}: still waiting one second before ${windowMs / MIN} minutes, RJCT NOAS one second after`, async () => {
        sb = await startSandbox({ profile, startTime: new Date('2030-03-13T11:00:00Z') });
        client = clientFor(sb);
        const r = await client.paymentRequests.create(paymentRequest({ now: sb.now(), inDays: 3 }));
        const id = r.meta.resourceId as string;
        sb.advanceClock(windowMs - 1000);
        expect(await statusOf(id)).to.include({ paymentInformationStatus: 'ACTC' });
        sb.advanceClock(2000);
        expect(await statusOf(id)).to.include({ paymentInformationStatus: 'RJCT', statusReasonInformation: 'NOAS' });
      });
    }
  });

  describe('in Odoo (real Redis, recording Odoo)', () => {
    let redis: TestRedis;
    let queues: StetpayQueues;
    let prefix: string;
    queuesPerTest((q) => ({ redis, queues, prefix } = q));

    it('CONSENT-04 a payment the bank accepted records when its consent window ends, and the reason says until when the bank waits', async () => {
      const bank = new RecordingBank();
      const h = createSubmitWorker({ connection: redis.url, prefix, requestsPerSecond: 100 }, { bank, consent: { windowMs: 15 * MIN, timeZone: 'Europe/Paris' } });
      try {
        const p = paymentJob(41);
        const before = Date.now();
        await enqueuePayments(queues.submit, [p]);
        await waitFor(async () => (await queues.submit.getJobState(p.ids.paymentInformationId)) === 'completed');
        const after = Date.now();
        const [item] = (await queues.redis.lrange(queues.writeback.key, 0, -1)).map((r) => JSON.parse(r) as WritebackItem);
        const v = item!.update.values;
        const deadline = Date.parse(String(v.x_stet_consent_deadline).replace(' ', 'T') + 'Z');
        // Odoo keeps whole seconds
        expect(deadline).to.be.within(Math.floor((before + 15 * MIN) / 1000) * 1000, after + 15 * MIN);
        expect(v.x_stet_status).to.equal('submitted');
        expect(v.x_stet_status_reason).to.match(
          new RegExp(`^The bank waits for the signatory's approval of payment ${p.ids.endToEndId} until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\(Europe/Paris\\): after that it rejects it \\(NOAS\\) and nothing is paid\\.$`),
        );
      } finally {
        await h.close();
      }
    });

    it('CONSENT-05 the sync flags a payment whose window ends within a third of it (at most 2 h), once; with time left it is not flagged; once ended the bank\'s NOAS makes it rejected', async () => {
      const odoo = new RecordingOdoo();
      const bank = new RecordingBank();
      const deadline = Date.parse('2030-03-13T11:15:00Z');
      odoo.bills.set(7, trackedBill(7, { status: 'submitted', resourceId: 'RES-7', endToEndId: 'SPE-TEST-7-1', paymentInformationId: 'SPP-TEST-7-1', attempt: 1, consentDeadline: '2030-03-13 11:15:00' }));
      const consent = { windowMs: 15 * MIN, timeZone: 'Europe/Paris' };
      expect(consentSoonMs(15 * MIN)).to.equal(5 * MIN);
      expect(consentSoonMs(24 * 60 * MIN)).to.equal(120 * MIN);
      const drainer = new WritebackDrainer(queues.redis, odoo, { prefix });
      const sync = async (at: number) => {
        await syncStatuses({ odoo, bank, writeback: queues.writeback }, { consent, now: () => at });
        await drainer.flush();
      };
      await sync(deadline - 6 * MIN);
      expect(odoo.bills.get(7)!.reason).to.equal(null);
      await sync(deadline - 4 * MIN);
      const flag = consentEndsSoonReason('SPE-TEST-7-1', new Date(deadline), 'Europe/Paris');
      expect(flag).to.equal(
        "Approval ends soon: the bank waits for the signatory's approval of payment SPE-TEST-7-1 only until 2030-03-13 12:15 (Europe/Paris). " +
          'The signatory approves it now on the signatory\'s page (or with the Approve at the bank link); after that the bank rejects it (NOAS) and nothing is paid.',
      );
      expect(odoo.bills.get(7)!.reason).to.equal(flag);
      const writes = odoo.writeCalls.length;
      await sync(deadline - 2 * MIN);
      expect(odoo.writeCalls.length, 'flagged once, not at every sync').to.equal(writes);
      bank.statuses.set('RES-7', { paymentInformationStatus: 'RJCT', transactionStatus: 'RJCT', statusReasonInformation: 'NOAS' });
      await sync(deadline + MIN);
      expect(odoo.bills.get(7)).to.include({ status: 'rejected', bankStatus: 'RJCT' });
      expect(odoo.bills.get(7)!.reason).to.contain('because nobody approved it at the bank in time (bank status RJCT, reason NOAS)');
    });
  });
});
