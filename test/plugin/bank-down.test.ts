/**
 * The README's "When the bank's API is down" procedure, end to end with the real command line, the
 * Odoo dev server, a real Redis and the bank sandbox: the bank is down when the run starts (stopped,
 * or in an outage where only its fallback answers); the run still checks and reserves, says so and
 * exits 0; `export pain001` files the bills and prints where to upload them. A set-up mistake stops
 * the run before anything is reserved, and says so.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { installFields, OdooClient, readTrackedBills } from '../../connector/odoo/index.js';
import { startBankSandbox, type RunningBankSandbox, type TestCertificates } from '../../sandbox/bank/index.js';
import { startOdooDevServer, type RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { CERTS_DIR } from '../bank/harness.js';
import { freePort, startRedis, type TestRedis } from '../support/redis-server.js';
import { stetpayEnvFor } from '../support/sandbox-env.js';
import { runCli } from '../support/stetpay-cli.js';
import { rawHttps } from '../bank/harness.js';
import { fallbackAdvice } from '../../plugin/connect/bank-status.js';
import { createRedisConnection, redisConnectFailure, whenReady } from '../../worker/connection.js';

const NOTE = 'A set-up error, not an outage: nothing was sent, and retrying will not help until it is fixed.';

interface Stack {
  odoo: RunningOdooDevServer;
  client: OdooClient;
  env: Record<string, string>;
}

describe('the bank down at 02:30: run reserves, export pain001 files the bills (real CLI, sandboxes, Redis)', () => {
  let redis: TestRedis;
  let certs: TestCertificates;
  let dir: string;
  let prefixes = 0;
  const stacks: Stack[] = [];

  /** A fresh Odoo with the stetpay fields, and the environment of a stetpay pointed at it and at `bank`. */
  async function stack(bank: { apiBaseUrl: string; tokenUrl: string }): Promise<Stack> {
    const odoo = await startOdooDevServer({ seed: { invoices: 8, seed: 11 } });
    const client = await OdooClient.connect({ url: odoo.url, database: odoo.database, username: odoo.admin.login, password: odoo.admin.apiKey, timeoutMs: 5000 });
    await installFields(client);
    const env = {
      ...stetpayEnvFor({ odoo: { url: odoo.url, database: odoo.database, admin: { login: odoo.admin.login, password: odoo.admin.apiKey } }, bank: { ...bank, certs }, redisUrl: redis.url, prefix: `{down-${++prefixes}}`, registeredIbans: [] }),
      STETPAY_CALLBACK_URL: 'https://stetpay.example.com',
      STETPAY_CALLBACK_SECRET: 'a-callback-secret-of-32-characters!!',
    };
    const s = { odoo, client, env };
    stacks.push(s);
    return s;
  }

  const statuses = async (s: Stack) => (await readTrackedBills(s.client, { statuses: ['queued', 'exported', 'submitted', 'invalid'] })).map((b) => b.status);

  before(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'stetpay-bank-down-'));
    const probe = await startBankSandbox({ certsDir: CERTS_DIR });
    certs = probe.certs;
    await probe.close();
  });
  after(async () => {
    for (const s of stacks) {
      s.client.close();
      await s.odoo.close();
    }
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('BANK-DOWN-02 the bank stopped: run checks and reserves (queued, nothing sent), says so, exits 0; export pain001 files every bill and says the fallback could not be reached either', async () => {
    const port = await freePort(); // nothing listens there: the bank is down
    const bank = { apiBaseUrl: `https://127.0.0.1:${port}/stet/psd2/v1.6.2`, tokenUrl: `https://127.0.0.1:${port}/stet/psd2/oauth/token` };
    const s = await stack(bank);
    const refused = `POST /stet/psd2/oauth/token: 127.0.0.1:${port} refused the connection (ECONNREFUSED): nothing was sent. The bank's API is down, or bank.tokenUrl names the wrong port; try again later.`;

    const run = await runCli(['run', '--wait'], s.env, dir);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.equal('');
    const queued = (await statuses(s)).filter((x) => x === 'queued').length;
    expect(queued).to.be.above(0);
    expect(run.stdout.trimEnd().split('\n').slice(-4)).to.deep.equal([
      "The bank's API cannot be used right now; the bills were checked and reserved all the same.",
      `  ${refused}`,
      `${queued} payment(s) wait as queued in Odoo, nothing was sent: \`stetpay worker\` sends them once the bank answers; if it stays down, \`stetpay export pain001\` puts them in a file for online banking (README, "When the bank's API is down").`,
      '--wait was not honoured: no payment can settle while the bank is down.',
    ]);

    const report = await runCli(['report', '--status', 'queued', '--format', 'json'], s.env, dir);
    expect(JSON.parse(report.stdout).count).to.equal(queued);

    const out = join(dir, 'payments-down.xml');
    const exp = await runCli(['export', 'pain001', '--out', out], s.env, dir);
    expect(exp.code, exp.stderr).to.equal(0);
    expect(exp.stderr).to.equal('');
    const lines = exp.stdout.trimEnd().split('\n');
    expect(lines[0]).to.match(new RegExp(`^stetpay export: ${queued} payment\\(s\\), [\\d.]+ EUR, written to ${out.replace(/[.]/g, '\\.')} \\(pain\\.001\\.001\\.09, message SPX-`));
    expect(lines.slice(1)).to.deep.equal([
      `The bank's API cannot be used right now: ${refused}`,
      `The bank's fallback link could not be obtained either: ${refused}`,
      'The signatory logs in to online banking directly and uploads the file there.',
    ]);
    expect(existsSync(out)).to.equal(true);
    expect(readFileSync(out, 'utf8').match(/<EndToEndId>/g)).to.have.length(queued);
    expect((await statuses(s)).filter((x) => x === 'exported')).to.have.length(queued);
    expect((await statuses(s)).filter((x) => x === 'queued')).to.have.length(0);
  });

  describe('with the bank sandbox up', () => {
    let sb: RunningBankSandbox;
    before(async () => {
      sb = await startBankSandbox({ certsDir: CERTS_DIR });
    });
    afterEach(() => sb.reset());
    after(async () => {
      await sb.close();
    });

    it("BANK-DOWN-03 an outage (the API answers 503, the fallback answers): run reserves and exits 0; export prints the bank's fallback link beside the file, and the link opens online banking", async () => {
      const s = await stack(sb);
      sb.setFaults({ outage: true });
      const run = await runCli(['run', '--json', '--wait'], s.env, dir);
      expect(run.code, run.stderr).to.equal(0);
      const summary = JSON.parse(run.stdout.trim().split('\n').pop()!);
      expect(summary.bankApi).to.equal('down');
      expect(summary.bankDown).to.match(/^The bank's token endpoint failed \(503: Service Unavailable: the API gateway is down\); try again later \(X-Request-ID [0-9a-f-]{36}\)\.$/);
      expect(summary.byStatus.queued).to.be.above(0);
      expect(summary.stillQueuedAfterWait).to.equal(0); // --wait is not honoured while the bank is down: nothing can settle
      expect(sb.requests().filter((r) => r.fallback)).to.deep.equal([]); // the run never asks for the fallback

      const out = join(dir, 'payments-outage.xml');
      const exp = await runCli(['export', 'pain001', '--out', out], s.env, dir);
      expect(exp.code, exp.stderr).to.equal(0);
      const lines = exp.stdout.trimEnd().split('\n');
      expect(lines[1]).to.match(/^The bank's API cannot be used right now: The bank's token endpoint failed \(503: Service Unavailable: the API gateway is down\); try again later \(X-Request-ID [0-9a-f-]{36}\)\.$/);
      const link = /^The bank's fallback into online banking, for the signatory only \(it works until \d\d:\d\d UTC; do not forward it\): (https:\/\/\S+)$/.exec(lines[2] ?? '');
      expect(link, lines[2]).to.not.equal(null);
      expect(lines[3]).to.equal('The signatory opens it, logs in with their own means and uploads the file there.');
      expect(lines).to.have.length(4);
      expect(new URL(link![1]!).searchParams.get('cdetab')).to.equal('18919');
      const page = await rawHttps(link![1]!, { ca: readFileSync(certs.caCertPath) });
      expect(page.status).to.equal(200);
      expect(page.text).to.include('Fallback access for PSDFR-ACPR-12345');
      expect((await statuses(s)).filter((x) => x === 'queued')).to.have.length(0);
    });

    it('BANK-DOWN-04 the bank up: export prints no fallback (and asks none)', async () => {
      const s = await stack(sb);
      expect((await runCli(['run', '--no-bank-check'], s.env, dir)).code).to.equal(0);
      expect(sb.requests()).to.deep.equal([]); // --no-bank-check: the run did not ask the bank
      const exp = await runCli(['export', 'pain001', '--out', join(dir, 'payments-up.xml')], s.env, dir);
      expect(exp.code, exp.stderr).to.equal(0);
      expect(exp.stdout.trimEnd().split('\n')).to.have.length(1);
      expect(sb.requests().filter((r) => r.fallback)).to.deep.equal([]);
    });

    it('BANK-DOWN-05 a set-up mistake stops the run before anything is reserved, naming the key: no bank.ca, a key given as the QWAC certificate', async () => {
      const s = await stack(sb);
      const noCa = { ...s.env };
      delete (noCa as Record<string, string | undefined>).STETPAY_BANK_CA;
      const r1 = await runCli(['run'], noCa, dir);
      expect(r1.code).to.equal(1);
      expect(r1.stderr).to.equal(
        `stetpay run: POST /stet/psd2/oauth/token: stetpay does not trust the bank's server certificate at ${new URL(sb.tokenUrl).host} (SELF_SIGNED_CERT_IN_CHAIN); set bank.ca to the file of the CA that signed it. ${NOTE} Nothing was reserved or queued.\n`,
      );
      const r2 = await runCli(['run'], { ...s.env, STETPAY_QWAC_CERT: certs.qwacKeyPath }, dir);
      expect(r2.code).to.equal(1);
      expect(r2.stderr).to.equal(`stetpay run: bank.qwacCert holds a private key, not a certificate: give the QWAC certificate file (-----BEGIN CERTIFICATE-----). ${NOTE} Nothing was reserved or queued.\n`);
      expect((await statuses(s)).filter((x) => x === 'queued' || x === 'invalid')).to.deep.equal([]);
    });

    it('BANK-DOWN-06 run --timeout takes seconds above 0', async () => {
      const s = await stack(sb);
      const r = await runCli(['run', '--wait', '--timeout', 'soon'], s.env, dir);
      expect(r.code).to.equal(2);
      expect(r.stderr.split('\n')[0]).to.equal("stetpay run: option '--timeout <seconds>' argument 'soon' is invalid. Expected a number of seconds above 0.");
    });
  });

  it('BANK-DOWN-07 what export prints for each state of the API: nothing when up; the cause and to log in directly when misconfigured or without a fallback', () => {
    expect(fallbackAdvice({ api: 'up' })).to.deep.equal([]);
    expect(fallbackAdvice({ api: 'misconfigured', cause: 'bank.ca holds no certificate.' })).to.deep.equal([
      "The bank's API could not be checked: bank.ca holds no certificate.",
      'The signatory logs in to online banking directly and uploads the file there.',
    ]);
    expect(fallbackAdvice({ api: 'down', cause: 'GET /x: refused.', fallback: { kind: 'none' } })).to.deep.equal([
      "The bank's API cannot be used right now: GET /x: refused.",
      'This bank gives no fallback link through its API: the signatory logs in to online banking directly and uploads the file there.',
    ]);
    expect(fallbackAdvice({ api: 'down', cause: 'GET /x: refused.', fallback: { kind: 'link', url: 'https://bank.example/sso?fallback=j', expiresAt: new Date('2026-11-25T07:35:00Z') } })).to.deep.equal([
      "The bank's API cannot be used right now: GET /x: refused.",
      "The bank's fallback into online banking, for the signatory only (it works until 07:35 UTC; do not forward it): https://bank.example/sso?fallback=j",
      'The signatory opens it, logs in with their own means and uploads the file there.',
    ]);
  });

  it('REDIS-DOWN-02 a wrong or missing Redis password: one line at once, the password never printed', async () => {
    const locked = await startRedis();
    try {
      const admin = createRedisConnection(locked.url, 'producer');
      await whenReady(admin);
      await admin.call('CONFIG', 'SET', 'requirepass', 's3cret-pass');
      admin.disconnect();
      const wrong = await runCli(['schedule'], { STETPAY_REDIS_URL: `redis://:not-it@127.0.0.1:${locked.port}` }, dir);
      expect(wrong.code).to.equal(1);
      expect(wrong.stderr).to.not.include('not-it');
      expect(wrong.stderr).to.equal(`stetpay schedule: Redis at 127.0.0.1:${locked.port} refused the user or password (WRONGPASS invalid username-password pair or user is disabled.): correct them in redis.url (STETPAY_REDIS_URL)\n`);
      const none = await runCli(['schedule'], { STETPAY_REDIS_URL: `redis://127.0.0.1:${locked.port}` }, dir);
      expect(none.stderr).to.equal(`stetpay schedule: Redis at 127.0.0.1:${locked.port} asks for a password (NOAUTH): put it in redis.url (STETPAY_REDIS_URL), e.g. redis://:PASSWORD@host:6379\n`);
    } finally {
      await locked.stop();
    }
    // what a loopback test cannot provoke
    const at = (code: string) => redisConnectFailure(Object.assign(new Error(code), { code }), 'redis.example:6379');
    expect(at('ENOTFOUND')).to.equal('stetpay: no host named redis.example for Redis (ENOTFOUND): correct redis.url (STETPAY_REDIS_URL)');
    expect(at('ECONNRESET')).to.equal('stetpay: Redis at redis.example:6379 closed the connection at once (ECONNRESET): is it Redis, and does it want TLS (rediss://)? Check redis.url (STETPAY_REDIS_URL)');
    expect(at('SELF_SIGNED_CERT_IN_CHAIN')).to.equal('stetpay: the TLS certificate of Redis at redis.example:6379 is not trusted (SELF_SIGNED_CERT_IN_CHAIN): check redis.url (STETPAY_REDIS_URL)');
    expect(at('EHOSTUNREACH')).to.equal('stetpay: Redis at redis.example:6379 cannot be reached (EHOSTUNREACH): check the network and redis.url (STETPAY_REDIS_URL)');
    expect(at('ETIMEDOUT')).to.equal(undefined); // ioredis tries again; the ready time-out reports it if it never heals
  });

  it('REDIS-DOWN-01 Redis down: one line at once naming redis.url, no ioredis error stack', async () => {
    const port = await freePort();
    const r = await runCli(['schedule'], { STETPAY_REDIS_URL: `redis://127.0.0.1:${port}` }, dir);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.equal(`stetpay schedule: Redis at 127.0.0.1:${port} refused the connection (ECONNREFUSED): start redis-server there, or correct redis.url (STETPAY_REDIS_URL)\n`);
    expect(r.stdout).to.equal('');
    expect(r.ms).to.be.below(5000); // a refused connection is reported at once, not after the 10 s ready time-out
  });
});
