/**
 * `stetpay status`: what waits, from real Redis, the Odoo dev server (as the
 * invoicing user) and the bank sandbox.
 */
import { expect } from 'chai';
import { installFields, writeBillUpdates, type OdooClient } from '../../connector/odoo/index.js';
import { getBankProfile } from '../../connector/profiles/index.js';
import { bankApiStatus } from '../../plugin/connect/bank-status.js';
import { openOdoo } from '../../plugin/connect/open-odoo.js';
import { bankSectionFor } from '../../plugin/demo/embedded-parts.js';
import { runPayments } from '../../plugin/run/run-payments.js';
import { collectStatus, formatStatus, needsAttention } from '../../plugin/status/stetpay-status.js';
import { startBankSandbox, type RunningBankSandbox } from '../../sandbox/bank/index.js';
import { startOdooDevServer, type RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { StetpayQueues, upsertSyncSchedule } from '../../worker/index.js';
import { CERTS_DIR } from '../bank/harness.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { stackConfig } from '../support/stack-config.js';

const NOW = new Date('2026-11-25T09:00:00+01:00');

describe('stetpay status (real Redis, Odoo dev server, bank sandbox)', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let bank: RunningBankSandbox;
  let odooServer: RunningOdooDevServer;
  let odoo: OdooClient;
  let queues: StetpayQueues;
  let config: ReturnType<typeof configFor>;

  function configFor(server: RunningOdooDevServer) {
    return stackConfig('status', { odoo: { url: server.url, database: server.database, username: server.clerk.login, password: server.clerk.apiKey }, redisUrl: redis.url, bank: bankSectionFor(bank) });
  }

  before(async () => {
    redis = await startRedis();
    bank = await startBankSandbox({ certsDir: CERTS_DIR });
    odooServer = await startOdooDevServer({ version: 17, seed: { invoices: 20, seed: 7, today: '2026-11-25' } });
    config = configFor(odooServer);
    const admin = await openOdoo({ ...config.odoo, username: odooServer.admin.login, password: odooServer.admin.password });
    await installFields(admin); // install alone needs a Settings administrator
    admin.close();
    odoo = await openOdoo(config.odoo);
    queues = await StetpayQueues.open({ connection: redis.url, prefix: config.redis.prefix });
  });
  after(async () => {
    await queues?.close();
    odoo?.close();
    await odooServer?.close();
    await bank?.close();
    await redis?.stop();
  });

  it('STATUS-01 before any run: empty queues, nothing waiting, no last run, no schedule; the bank answers', async () => {
    const s = await collectStatus({ odoo, queues, bank: () => bankApiStatus(config.bank), now: NOW });
    expect(s.queues).to.deep.equal({ waiting: 0, active: 0, delayed: 0, failed: 0, forSignatory: 0, writebackPending: 0, deadLetters: 0 });
    expect(s.bills).to.deep.equal({});
    expect(s.waitingForConsent).to.deep.equal({ count: 0, oldest: [] });
    expect(s.lastRun).to.equal(null);
    expect(s.schedules).to.deep.equal([]);
    expect(s.bank).to.deep.equal({ api: 'up' });
    expect(needsAttention(s)).to.equal(false);
    const text = formatStatus(s);
    expect(text).to.include("Waiting for the signatory's approval at the bank: none.");
    expect(text).to.include('Last run: none recorded in this Redis.');
    expect(text).to.include('Schedules: none stored (run stetpay schedule once per deployment).');
    expect(text).to.include('Bank API: answers.');
  });

  it('STATUS-02 after a run: the jobs waiting, the bills per status, the payments waiting for consent oldest first, what needs a person, the last run, the schedules, a dead letter', async () => {
    const run = await runPayments({ odoo, config, profile: getBankProfile('nwm-18919'), queues, now: NOW });
    const queued = run.queuedBillIds;
    expect(queued.length).to.be.greaterThan(3);
    const [a, b, c] = queued as [number, number, number];
    // two reached the bank (b first), one needs review; the rest still wait for a worker
    await writeBillUpdates(odoo, [
      { billId: b, values: { x_stet_status: 'submitted', x_stet_updated_at: '2026-11-25 01:30:00' } },
      { billId: a, values: { x_stet_status: 'submitted', x_stet_updated_at: '2026-11-25 02:00:00' } },
      { billId: c, values: { x_stet_status: 'needs_review', x_stet_status_reason: 'test' } },
    ]);
    await upsertSyncSchedule(queues.sync, 15 * 60_000);
    await queues.redis.rpush(queues.writeback.deadLetterKey, JSON.stringify({ item: { update: { billId: 1, values: {} } }, error: 'x', at: NOW.toISOString() }));

    const s = await collectStatus({ odoo, queues, now: NOW });
    // NWM's default is on-signatory: the run's payments wait for the signatory's page, not for a worker
    expect(s.queues).to.deep.equal({ waiting: 0, active: 0, delayed: 0, failed: 0, forSignatory: queued.length, writebackPending: 0, deadLetters: 1 });
    const invalid = run.byStatus.invalid ?? 0;
    expect(s.bills).to.deep.equal({ queued: queued.length - 3, submitted: 2, needs_review: 1, ...(invalid ? { invalid } : {}) });
    expect(s.waitingForConsent.count).to.equal(2);
    expect(s.waitingForConsent.oldest.map((w) => [w.billId, w.since, w.hours])).to.deep.equal([
      [b, '2026-11-25 01:30:00', 6],
      [a, '2026-11-25 02:00:00', 6],
    ]);
    expect(s.forAPerson).to.deep.equal({ needs_review: 1, ...(invalid ? { invalid } : {}) });
    expect(s.lastRun?.bills).to.equal(run.bills);
    expect(s.lastRun?.byStatus).to.deep.equal(run.byStatus);
    expect(s.lastRun?.queuedCents).to.equal(run.queuedCents);
    expect(s.schedules.map((x) => [x.id, x.everyMs])).to.deep.equal([['stetpay-status-sync', 900_000]]);
    expect(s.bank).to.equal(undefined);
    expect(needsAttention(s)).to.equal(true); // the dead letter
    const text = formatStatus(s);
    expect(text).to.include('Queue: 0 waiting, 0 being sent, 0 delayed, 0 failed; write-back 0 pending, 1 dead letter(s).');
    expect(text).to.include(`Reserved for the signatory's page (sent when the signatory opens each): ${queued.length}.`);
    expect(text).to.include("Waiting for the signatory's approval at the bank: 2 (oldest first):");
    expect(text).to.include('waiting since 2026-11-25 01:30:00 UTC (6 h)');
    expect(text).to.match(/For a person: needs_review 1/);
    expect(text).to.include('  - stetpay-status-sync: every 15 min; next ');
  });

  it('STATUS-03 the bank\'s API down: status says so and prints the bank\'s fallback link into online banking', async () => {
    bank.setFaults({ outage: true });
    try {
      const s = await collectStatus({ odoo, queues, bank: () => bankApiStatus(config.bank), now: NOW });
      expect(s.bank?.api).to.equal('down');
      expect(s.bank?.api === 'down' && s.bank.fallback.kind).to.equal('link');
      expect(needsAttention(s)).to.equal(true);
      const text = formatStatus(s);
      expect(text).to.include('  If payments must leave today: stetpay export pain001 writes them into a file for online banking.');
      expect(text).to.match(/The bank's fallback into online banking, for the signatory only \(it works until \d\d:\d\d UTC; do not forward it\): https:\/\/\S+fallback=\S+/);
    } finally {
      bank.setFaults({ outage: false });
    }
  });
});
