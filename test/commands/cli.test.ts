/** The real command line in a child process: exit codes, stdout and one-line errors. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { OdooClient } from '../../connector/odoo/index.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { paymentIds } from '../../connector/rules/index.js';
import { StetpayQueues } from '../../worker/index.js';
import { freePort, type TestRedis } from '../support/redis-server.js';
import { runStetpay } from '../support/stetpay-bin.js';
import { billRecord, odooAndRedisPerSuite, payableBills, queuedValues, reserve, setBill } from './support.js';
import { runCli } from '../support/stetpay-cli.js';

/** The real command line in a child process, with only the environment given. */
const stetpay = runCli;

describe('commands: the stetpay binary (report, cancel, export)', () => {
  let server: RunningOdooDevServer;
  let odoo: OdooClient;
  let redis: TestRedis;
  let cwd: string;
  let env: Record<string, string>;
  let queued: number;

  odooAndRedisPerSuite(12, (fx) => ({ server, client: odoo, redis } = fx));
  before(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'stetpay-cli-'));
    env = { STETPAY_ODOO_URL: server.url, STETPAY_ODOO_DB: server.database, STETPAY_ODOO_USER: server.clerk.login, STETPAY_ODOO_PASSWORD: server.clerk.apiKey, STETPAY_REDIS_URL: redis.url };
    const [a, b] = payableBills(server) as [number, number];
    queued = a;
    await reserve(odoo, a, new Date()); // as a run today records it (the export files the request it recorded)
    // reserved by a run: its job waits in the queue (export refuses a queued bill Redis has no trace of)
    const queues = await StetpayQueues.open({ connection: redis.url, prefix: 'bull' });
    await queues.submit.add('submit', { billId: a } as never, { jobId: paymentIds(server.database, a, 1).paymentInformationId, delay: 3_600_000 });
    await queues.close();
    await setBill(odoo, b, { ...queuedValues(server.database, b), x_stet_status: 'rejected', x_stet_bank_status: 'RJCT', x_stet_status_reason: 'refused' });
  });
  after(() => {
    rmSync(cwd, { recursive: true, force: true });
  });

  it('CLI-01 report --format json prints the report on stdout and exits 0', async () => {
    const r = await stetpay(['report', '--format', 'json'], env, cwd);
    expect(r.code, r.stderr).to.equal(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.count).to.equal(2);
    expect(doc.rows.map((x: { status: string }) => x.status).sort()).to.deep.equal(['queued', 'rejected']);
    expect(doc.source).to.equal(`${new URL(server.url).host} / ${server.database}`);
  });

  it('CLI-02 report --out writes the CSV file; --status filters', async () => {
    const out = join(cwd, 'report.csv');
    const r = await stetpay(['report', '--out', out, '--status', 'rejected'], env, cwd);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('');
    const lines = readFileSync(out, 'utf8').split('\r\n');
    expect(lines).to.have.length(3);
    expect(lines[1]).to.include(',rejected,,RJCT,refused,');
  });

  it('CLI-03 bad usage exits 2 with one line naming the command: unknown flag, unknown format, unknown status, missing BILL', async () => {
    const cases: [string[], string][] = [
      [['report', '--fromat', 'csv'], "stetpay report: unknown option '--fromat' (did you mean --format?)"],
      [['report', '--format', 'xml'], "stetpay report: option '--format <format>' argument 'xml' is invalid. Allowed choices are csv, html, json."],
      [['report', '--status', 'paid'], 'stetpay report: --status paid is not a status: use one of queued, submitted'],
      [['cancel'], "stetpay cancel: missing required argument 'bill'"],
      [['export', 'pain002'], "stetpay export: command-argument value 'pain002' is invalid for argument 'format'. Allowed choices are pain001."],
      [['export', 'pain001', '--version', '05'], "stetpay export: option '--version <version>' argument '05' is invalid. Allowed choices are 09, 03."],
      // bill numbers are taken as well as ids now (issue 10): only an empty list is bad usage
      [['export', 'pain001', '--bills', ' , '], 'stetpay export: --bills takes bill numbers or Odoo ids separated by commas'],
    ];
    for (const [args, message] of cases) {
      const r = await stetpay(args, env, cwd);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(2);
      expect(r.stderr.split('\n')[0], args.join(' ')).to.include(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).to.have.length(1);
    }
  });

  it('CLI-04 a missing config section names what to set; exit 1, no stack', async () => {
    const r = await stetpay(['report'], {}, cwd);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('config: odoo is required by stetpay report: set odoo.url');
    const c = await stetpay(['cancel', '42'], env, cwd);
    expect(c.code).to.equal(1);
    expect(c.stderr).to.include('config: bank is required by stetpay cancel');
    expect(c.stderr).to.not.match(/\n\s+at /);
  });

  it('CLI-05 Odoo unreachable: exit 1 with one line', async () => {
    const port = await freePort();
    const r = await stetpay(['report'], { ...env, STETPAY_ODOO_URL: `http://127.0.0.1:${port}`, STETPAY_ODOO_TIMEOUT_MS: '2000' }, cwd);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim().split('\n')).to.have.length(1);
    expect(r.stderr).to.match(/^stetpay report: /);
  });

  it('CLI-06 export pain001 writes the file, says so, and the bill shows exported; run again: nothing to export', async () => {
    const out = join(cwd, 'fallback.xml');
    const r = await stetpay(['export', 'pain001', '--out', out], env, cwd);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^stetpay export: 1 payment\(s\), \d+\.\d\d EUR, written to .*fallback\.xml \(pain\.001\.001\.09, message SPX-/);
    expect(readFileSync(out, 'utf8')).to.include('<CstmrCdtTrfInitn>');
    expect(billRecord(server, queued).x_stet_status).to.equal('exported');
    const again = await stetpay(['export', 'pain001', '--out', join(cwd, 'again.xml')], env, cwd);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.include('no payment to export');
  });

  it('CLI-07 `stetpay report --format json | head`: the reader has gone before the report is written; exit 0, nothing on stderr', async () => {
    const r = await runStetpay(['report', '--format', 'json'], { env, cwd, closeStdout: true });
    expect(r).to.include({ code: 0, stderr: '' });
  });
});
