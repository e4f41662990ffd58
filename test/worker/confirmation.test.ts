/**
 * STET 1.6 banks (profile stet-1.6) execute a consented payment only after the
 * PISP's confirmation call. The status sync sends it, so a confirmation the
 * consent callback never triggered (browser closed, call failed) is made by
 * the next sync. Real bank sandbox, real STET client, real Redis.
 */
import { expect } from 'chai';
import type { StetClient } from '../../connector/stet/stet-client.js';
import type { RunningBankSandbox } from '../../sandbox/bank/index.js';
import { stetBankPort } from '../../worker/adapters/stet-bank-port.js';
import { StetpayQueues } from '../../worker/stetpay-queues.js';
import { syncStatuses } from '../../worker/sync/sync-statuses.js';
import { WritebackDrainer } from '../../worker/writeback/writeback-drainer.js';
import { paymentRequest } from '../bank/fixtures.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { RecordingOdoo, trackedBill } from './support.js';
import { sandboxAndClientPerSuite } from '../bank/harness.js';
import { freshPrefix } from '../support/redis-per-suite.js';

const DAY = 86_400_000;

describe('STET 1.6 confirmation by the status sync (bank sandbox, profile stet-1.6)', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let sb: RunningBankSandbox;
  let client: StetClient;
  let queues: StetpayQueues;

  sandboxAndClientPerSuite((b) => ({ sb, client } = b), { profile: 'stet-1.6', startTime: new Date('2030-03-13T11:00:00Z') });
  before(async () => {
    redis = await startRedis();
    queues = await StetpayQueues.open({ connection: redis.url, prefix: freshPrefix() });
  });
  after(async () => {
    await queues.close();
    await redis.stop();
  });

  const confirmations = (resourceId: string) => sb.requests().filter((r) => r.method === 'POST' && r.path.endsWith(`/payment-requests/${resourceId}/confirmation`)).length;

  it('CONFIRM-01 a consented payment (ACCP) is confirmed once by the sync, then executed on its date; nothing is confirmed before consent', async () => {
    const odoo = new RecordingOdoo();
    const drainer = new WritebackDrainer(queues.redis, odoo, { prefix: queues.prefix });
    const sync = async () => {
      const s = await syncStatuses({ odoo, bank: stetBankPort(client), writeback: queues.writeback }, { confirm: true });
      await drainer.flush();
      return s;
    };
    const created = await client.paymentRequests.create(paymentRequest({ now: sb.now(), inDays: 2 }));
    const resourceId = created.meta.resourceId as string;
    odoo.bills.set(1, trackedBill(1, { status: 'submitted', resourceId, endToEndId: 'E2E-1', paymentInformationId: 'PI-1' }));

    expect((await sync()).confirmed).to.equal(0); // ACTC: no consent yet
    expect(confirmations(resourceId)).to.equal(0);

    sb.consent(resourceId, true); // the signatory approved; no callback reached stetpay
    const s = await sync();
    expect(s.confirmed).to.equal(1);
    expect(confirmations(resourceId)).to.equal(1);
    expect(odoo.bills.get(1)).to.include({ status: 'accepted', bankStatus: 'ACSP' });

    expect((await sync()).confirmed).to.equal(0); // ACSP: confirmed already
    expect(confirmations(resourceId)).to.equal(1);

    sb.advanceClock(3 * DAY);
    await sync();
    expect(odoo.bills.get(1)).to.include({ status: 'executed', bankStatus: 'ACSC' });
  });

  it('CONFIRM-02 without `confirm` (a bank that needs no confirmation) the sync never calls it: the payment stays consented', async () => {
    const odoo = new RecordingOdoo();
    const created = await client.paymentRequests.create(paymentRequest({ now: sb.now(), inDays: 2 }));
    const resourceId = created.meta.resourceId as string;
    odoo.bills.set(2, trackedBill(2, { status: 'submitted', resourceId }));
    sb.consent(resourceId, true);
    const s = await syncStatuses({ odoo, bank: stetBankPort(client), writeback: queues.writeback });
    expect(s.confirmed).to.equal(0);
    expect(confirmations(resourceId)).to.equal(0);
    expect((await client.paymentRequests.retrieve(resourceId)).body.paymentRequest.paymentInformationStatus).to.equal('ACCP');
  });
});
