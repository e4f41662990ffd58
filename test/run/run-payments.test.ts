/**
 * The run (collect -> map -> reserve in Odoo -> enqueue) against the Odoo dev
 * server, the bank sandbox's certificates and real Redis.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installFields, readTrackedBills, writeBillUpdates, type OdooClient } from '../../connector/odoo/index.js';
import { getBankProfile } from '../../connector/profiles/index.js';
import { paymentIds } from '../../connector/rules/index.js';
import { loadConfig, requireSections } from '../../plugin/config/index.js';
import { openOdoo } from '../../plugin/app/open-odoo.js';
import { checkBankReachable } from '../../plugin/app/bank-preflight.js';
import { openBank } from '../../plugin/app/open-bank.js';
import { runPayments } from '../../plugin/run/run-payments.js';
import { bankSectionFor, odooSectionFor } from '../../plugin/demo/embedded-parts.js';
import { startBankSandbox, type RunningBankSandbox } from '../../sandbox/bank/index.js';
import { startOdooDevServer, type RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { StetpayQueues } from '../../worker/index.js';
import { CERTS_DIR } from '../bank/harness.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

const NOW = new Date('2026-11-25T09:00:00+01:00');

describe('the run: collect, validate, reserve in Odoo, enqueue', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let bank: RunningBankSandbox;
  let odooServer: RunningOdooDevServer;
  let odoo: OdooClient;
  let queues: StetpayQueues;

  function configFor(server: RunningOdooDevServer) {
    return requireSections(
      loadConfig({
        env: {},
        cwd: mkdtempSync(join(tmpdir(), 'stetpay-run-test-')),
        overrides: {
          odoo: odooSectionFor(server),
          redis: { url: redis.url, prefix: `{run-${randomUUID().slice(0, 8)}}` },
          bank: bankSectionFor(bank),
          callback: { publicUrl: 'https://stetpay.example.test', secret: 'x'.repeat(40) },
        },
      }),
      ['odoo', 'redis', 'bank', 'callback'],
    );
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
    expect(a[0]!.reason).to.contain(`payment ${sent.endToEndId} (attempt 1) was already sent to the bank`);
    expect(b[0]!.status).to.equal('queued');
    expect(b[0]!.attempt).to.equal(2);
    expect(b[0]!.endToEndId).to.equal(paymentIds(odooServer.database, rejectedBill!, 2).endToEndId);
    expect(second.queuedBillIds).to.deep.equal([rejectedBill]);
  });

  it('the bank preflight passes against a reachable bank and names the bank when it is not', async () => {
    const config = configFor(odooServer);
    const { client } = openBank(config.bank);
    try {
      await checkBankReachable(client, config.bank.apiBaseUrl);
    } finally {
      client.close();
    }
    const { client: down } = openBank({ ...config.bank, apiBaseUrl: 'https://127.0.0.1:1/stet/psd2/v1.6.2', tokenUrl: 'https://127.0.0.1:1/token', connectTimeoutMs: 1000 });
    try {
      await checkBankReachable(down, 'https://127.0.0.1:1/stet/psd2/v1.6.2');
      expect.fail('an unreachable bank must stop the run');
    } catch (err) {
      expect((err as Error).message).to.match(/^the bank at https:\/\/127\.0\.0\.1:1\/stet\/psd2\/v1\.6\.2 cannot be used right now: .+ Nothing was reserved or queued/);
    } finally {
      down.close();
    }
  });
});
