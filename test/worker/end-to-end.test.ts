/**
 * One end-to-end pass through the real peers: the bank sandbox (HTTPS, mTLS,
 * signatures, its own duplicate check) and the Odoo dev server (XML-RPC), with
 * the real STET client and Odoo connector behind the worker's ports.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { readTrackedBills } from '../../connector/odoo/read-tracked-bills.js';
import { readReservedBills } from '../../connector/odoo/read-reserved-bills.js';
import { registerPayments } from '../../connector/odoo/register-payment.js';
import { writeBillUpdates } from '../../connector/odoo/write-bill-updates.js';
import type { OdooClient } from '../../connector/odoo/odoo-client.js';
import type { RunningBankSandbox } from '../../sandbox/bank/index.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { bindOdooPort } from '../../worker/adapters/odoo-port.js';
import { stetBankPort } from '../../worker/adapters/stet-bank-port.js';
import { enqueuePayments } from '../../worker/enqueue-payments.js';
import type { OdooPort } from '../../worker/interfaces/odoo-port.js';
import { StetpayQueues } from '../../worker/stetpay-queues.js';
import { createSubmitWorker, type SubmitWorkerHandle } from '../../worker/submit-worker.js';
import { syncStatuses } from '../../worker/sync/sync-statuses.js';
import type { SubmitJobData } from '../../worker/submit-job.js';
import type { PaymentIds } from '../../connector/model/index.js';
import { WritebackDrainer } from '../../worker/writeback/writeback-drainer.js';
import { paymentRequest } from '../bank/fixtures.js';
import { clientFor, startSandbox } from '../bank/harness.js';
import { clerkClient, devOdoo } from '../odoo/helpers.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { waitFor } from './support.js';

describe('worker end to end (bank sandbox + Odoo dev server + Redis)', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let bankSb: RunningBankSandbox;
  let odooSrv: RunningOdooDevServer;
  let client: OdooClient;
  let queues: StetpayQueues | undefined;
  let worker: SubmitWorkerHandle | undefined;
  let drainer: WritebackDrainer | undefined;

  before(async () => {
    redis = await startRedis();
    bankSb = await startSandbox({ autoConsent: 'approve', autoConsentCallback: false, faults: { script: ['recordThenDrop'] } });
    odooSrv = await devOdoo();
    client = await clerkClient(odooSrv, { install: true }); // the daily invoicing user
  });
  after(async () => {
    await drainer?.close();
    await worker?.close();
    await queues?.close();
    await bankSb?.close();
    await odooSrv?.close();
    await redis?.stop();
  });

  it('E2E-01 a bank answer lost after recording ends in one payment (needs_review), the others submitted then accepted', async () => {
    const prefix = `{e2e-${randomUUID()}}`;
    queues = await StetpayQueues.open({ connection: redis.url, prefix });
    const odoo: OdooPort = bindOdooPort(client, { writeBillUpdates, readTrackedBills, readReservedBills, registerPayments }, { journalId: 1 });
    const billIds = await client.call<number[]>('account.move', 'search', [[['move_type', '=', 'in_invoice']]], { limit: 3 });
    expect(billIds).to.have.length(3);
    const jobs: (SubmitJobData & { ids: PaymentIds })[] = billIds.map((billId, i) => {
      const request = paymentRequest({ amount: 100 + i });
      const tx = request.creditTransferTransaction[0]!;
      return {
        billId,
        billName: `bill ${billId}`,
        database: odooSrv.database,
        attempt: 0,
        ids: { paymentInformationId: request.paymentInformationId, instructionId: tx.paymentId.instructionId, endToEndId: tx.paymentId.endToEndId },
        request,
        executionDate: tx.requestedExecutionDate!.slice(0, 10),
      };
    });
    // Reserve: ids and `queued` in Odoo before anything is queued (guard 1).
    await odoo.writeBillUpdates(jobs.map((j) => ({ billId: j.billId, values: { x_stet_status: 'queued', x_stet_payment_information_id: j.ids.paymentInformationId, x_stet_end_to_end_id: j.ids.endToEndId } })));
    await enqueuePayments(queues.submit, jobs);

    worker = createSubmitWorker({ connection: redis.url, prefix, concurrency: 1, backoff: { baseDelayMs: 50, maxDelayMs: 200 } }, { bank: stetBankPort(clientFor(bankSb)) });
    drainer = new WritebackDrainer(queues.redis, odoo, { prefix, maxDelayMs: 50, pollMs: 20 });
    drainer.start();

    const settled = await waitFor(async () => {
      const bills = await odoo.readTrackedBills({ billIds });
      return bills.every((b) => b.status === 'submitted' || b.status === 'needs_review') && bills;
    }, 20_000, 'all bills submitted or needs_review in Odoo');
    expect(settled.filter((b) => b.status === 'needs_review')).to.have.length(1);
    expect(settled.filter((b) => b.status === 'submitted' && b.resourceId && b.consentUrl)).to.have.length(2);

    // The bank holds exactly one payment per id, although one was POSTed twice.
    const atBank = bankSb.payments().map((p) => (p as unknown as { paymentInformationId: string }).paymentInformationId);
    expect([...atBank].sort()).to.deep.equal(jobs.map((j) => j.ids.paymentInformationId).sort());
    const posts = bankSb.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/payment-requests'));
    expect(posts).to.have.length(4);

    // Status sync: the sandbox approved consent at once.
    const summary = await syncStatuses({ odoo, bank: stetBankPort(clientFor(bankSb)), writeback: queues.writeback, ledger: queues.ledger });
    expect(summary.errors).to.deep.equal([]);
    await drainer.flush();
    const after = await odoo.readTrackedBills({ billIds });
    expect(after.filter((b) => b.status === 'accepted' || b.status === 'executed')).to.have.length(2);
    expect(after.filter((b) => b.status === 'needs_review')).to.have.length(1);
  });
});
