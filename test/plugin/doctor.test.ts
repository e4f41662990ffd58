/**
 * `stetpay doctor` against a healthy stack (the Odoo dev server as a Billing user, a real Redis with
 * append-only persistence and the schedules, the bank sandbox over mutual TLS), then against each
 * broken part: the exact line, and the exit code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { installFields, OdooClient, PAYEE_BILL_FIELD_NAMES, STET_FIELD_NAMES } from '../../connector/odoo/index.js';

/** The fields doctor looks for on bills: stetpay's own and the payee check's related ones. */
const BILL_FIELDS = [...STET_FIELD_NAMES, ...PAYEE_BILL_FIELD_NAMES];
import { formatCheck, formatReport, runDoctor, type DoctorReport } from '../../plugin/doctor/index.js';
import { makeTestCertificates, startBankSandbox, type RunningBankSandbox } from '../../sandbox/bank/index.js';
import { startOdooDevServer, type RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { NIGHTLY_SCHEDULER_ID, StetpayQueues, upsertNightlyRun, upsertSyncSchedule } from '../../worker/index.js';
import { CERTS_DIR } from '../bank/harness.js';
import { freePort, startRedis, type TestRedis } from '../support/redis-server.js';
import { stetpayEnvFor } from '../support/sandbox-env.js';
import { runCli } from '../support/stetpay-cli.js';
import { versionAtLeast } from '../../plugin/doctor/redis-checks.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** The report's line for check `id`, request ids made constant. */
function line(r: DoctorReport, id: string): string {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${r.checks.map((x) => x.id).join(', ')}`);
  return formatCheck(c).replace(UUID, '<request-id>');
}

const statuses = (r: DoctorReport) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));

describe('stetpay doctor: one line per check with OK/FAIL and the fix (real Odoo dev server, Redis, bank sandbox)', () => {
  let odoo: RunningOdooDevServer;
  let bare: RunningOdooDevServer; // no stetpay fields
  let redis: TestRedis;
  let sb: RunningBankSandbox;
  let dir: string;
  let env: Record<string, string>;
  let redisVersion: string;
  let nextRun: string;
  const prefix = '{doctor}';
  const doctor = (over: Record<string, string | undefined> = {}, o: Parameters<typeof runDoctor>[0] = {}) => {
    const e = Object.fromEntries(Object.entries({ ...env, ...over }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    return runDoctor({ env: e, cwd: dir, ...o });
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stetpay-doctor-'));
    [odoo, bare, redis, sb] = await Promise.all([
      startOdooDevServer({ seed: { invoices: 4, seed: 2 } }),
      startOdooDevServer({ seed: { invoices: 1, seed: 2 } }),
      startRedis(['--appendonly', 'yes', '--dir', dir]),
      startBankSandbox({ certsDir: CERTS_DIR }),
    ]);
    const admin = await OdooClient.connect({ url: odoo.url, database: odoo.database, username: odoo.admin.login, password: odoo.admin.apiKey, timeoutMs: 5000 });
    await installFields(admin);
    admin.close();
    const queues = await StetpayQueues.open({ connection: redis.url, prefix });
    await upsertNightlyRun(queues.run);
    await upsertSyncSchedule(queues.sync);
    nextRun = new Date((await queues.run.getJobScheduler(NIGHTLY_SCHEDULER_ID))!.next!).toISOString().replace(/\.\d+Z$/, 'Z');
    redisVersion = /redis_version:(\S+)/.exec(await queues.redis.info('server'))![1]!;
    await queues.close();
    // The daily user: an invoicing user (Billing), not an administrator.
    env = {
      ...stetpayEnvFor({ odoo: { url: odoo.url, database: odoo.database, admin: { login: odoo.clerk.login, password: odoo.clerk.apiKey } }, bank: sb, redisUrl: redis.url, prefix, registeredIbans: [] }),
      STETPAY_CALLBACK_URL: 'https://stetpay.example.com',
      STETPAY_CALLBACK_SECRET: 'a-callback-secret-of-32-characters!!',
    };
  });
  afterEach(() => sb.reset());
  after(async () => {
    await Promise.all([odoo.close(), bare.close(), redis.stop(), sb.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('DOCTOR-01 a healthy stack: every check OK, one line each, in order; the command exits 0 (and --json says ok)', async () => {
    const r = await doctor();
    const host = new URL(sb.tokenUrl).host;
    const until = new Date(new X509Certificate(readFileSync(sb.certs.qwacCertPath)).validTo).toISOString().slice(0, 10);
    expect(formatReport(r).split('\n')).to.deep.equal([
      'OK   config             the STETPAY_* variables (no config file): valid.',
      `OK   odoo.reachable     Odoo answers at ${odoo.url}.`,
      'OK   odoo.version       Odoo 17.0 (supported: 16, 17, 18).',
      `OK   odoo.login         logged in as clerk on database ${odoo.database} (uid ${odoo.clerk.uid}).`,
      `OK   odoo.fields        the ${BILL_FIELDS.length} x_stet_* fields are on vendor bills.`,
      'OK   odoo.rights        clerk has the 18 rights the daily commands need (no administrator right is needed).',
      'OK   redis.reachable    Redis answers.',
      `OK   redis.version      Redis ${redisVersion} (6.2 or later).`,
      'OK   redis.eviction     maxmemory-policy is noeviction.',
      'OK   redis.persistence  append-only file on.',
      `OK   bank.certificates  the QWAC (PSDFR-ACPR-12345, valid until ${until}) matches bank.qwacKey; bank.qsealKey and bank.qsealKeyId are usable; bank.ca holds a certificate.`,
      `OK   bank.ca            the bank's server certificate at ${host} is trusted (bank.ca).`,
      'OK   bank.token         the bank issued an access token to PSDFR-ACPR-12345 over mutual TLS with the QWAC.',
      'OK   bank.signed-call   GET /payment-requests/stetpay-preflight-check answered 404 as it should: the bank accepted the QSealC signature.',
      'OK   callback.url       https://stetpay.example.com is public and HTTPS.',
      "OK   clock              this machine's clock agrees with the bank's Date header (tolerance 60 s).",
      `OK   schedules          nightly run '0 30 2 * * *' (Europe/Paris), next at ${nextRun}; status sync every 15 min.`,
      '',
      'All 17 checks passed.',
    ]);
    expect(r.ok).to.equal(true);
    // the signed call changed nothing at the bank
    expect(sb.payments()).to.deep.equal([]);
    expect(sb.requests().map((x) => [x.method, x.path, x.status])).to.deep.equal([
      ['POST', '/stet/psd2/oauth/token', 200], ['GET', '/stet/psd2/v1.6.2/payment-requests/stetpay-preflight-check', 404], ['HEAD', '/', 404],
    ]);

    const cli = await runCli(['doctor', '--json'], env, dir);
    expect(cli.code, cli.stderr).to.equal(0);
    const json = JSON.parse(cli.stdout);
    expect(json.ok).to.equal(true);
    expect(json.checks).to.have.length(17);
    expect(json.checks[0]).to.deep.equal({ id: 'config', status: 'ok', detail: 'the STETPAY_* variables (no config file): valid.' });
  });

  it('DOCTOR-02 an invalid config: one FAIL line naming the keys, nothing else checked; exit 1', async () => {
    const r = await doctor({ STETPAY_EXECUTION_POLICY: 'tomorrow' });
    expect(r.checks.map(formatCheck)).to.deep.equal([
      "FAIL config             payments.executionPolicy must be one of due-date, asap (got 'tomorrow') (from STETPAY_EXECUTION_POLICY) Fix: correct each key named (docs/config.md lists every key).",
    ]);
    const cli = await runCli(['doctor'], { ...env, STETPAY_EXECUTION_POLICY: 'tomorrow' }, dir);
    expect(cli.code).to.equal(1);
    expect(cli.stdout.split('\n').slice(-2)).to.deep.equal(['1 check(s) failed: fix them and run stetpay doctor again.', '']);
  });

  it('DOCTOR-03 a section left out: the config line says which and how to set it; its checks are skipped', async () => {
    const r = await doctor({ STETPAY_CALLBACK_URL: undefined, STETPAY_CALLBACK_SECRET: undefined });
    expect(line(r, 'config')).to.equal(
      'FAIL config             the STETPAY_* variables (no config file): valid, but without the callback section. Fix: set callback.publicUrl and callback.secret (or callback.secretFile) in stetpay.config.json, or STETPAY_CALLBACK_URL and STETPAY_CALLBACK_SECRET.',
    );
    expect(line(r, 'callback.url')).to.equal('SKIP callback.url       no callback section in the configuration.');
    expect(r.ok).to.equal(false);
  });

  it('DOCTOR-04 Odoo unreachable, a wrong API key, the fields not installed', async () => {
    const port = await freePort();
    const down = await doctor({ STETPAY_ODOO_URL: `http://127.0.0.1:${port}` });
    expect(['odoo.reachable', 'odoo.version', 'odoo.login', 'odoo.fields', 'odoo.rights'].map((id) => line(down, id))).to.deep.equal([
      `FAIL odoo.reachable     Cannot reach Odoo at http://127.0.0.1:${port} (ECONNREFUSED): is it running, and is the URL right? Fix: check odoo.url (STETPAY_ODOO_URL) and that Odoo runs there.`,
      'SKIP odoo.version       Odoo could not be reached.',
      'SKIP odoo.login         Odoo could not be reached.',
      'SKIP odoo.fields        Odoo could not be reached.',
      'SKIP odoo.rights        Odoo could not be reached.',
    ]);
    const login = await doctor({ STETPAY_ODOO_PASSWORD: 'not-the-key' });
    expect(line(login, 'odoo.login')).to.equal(
      `FAIL odoo.login         Odoo refused the login for user clerk on database ${odoo.database}: check the user and API key Fix: check odoo.database, odoo.username and odoo.password (an API key: My Profile > Account Security > New API Key).`,
    );
    const fields = await doctor({ STETPAY_ODOO_URL: bare.url, STETPAY_ODOO_DB: bare.database, STETPAY_ODOO_USER: bare.admin.login, STETPAY_ODOO_PASSWORD: bare.admin.apiKey });
    expect(line(fields, 'odoo.fields')).to.equal(
      `FAIL odoo.fields        ${BILL_FIELDS.length} of the ${BILL_FIELDS.length} stetpay fields are missing on account.move (${BILL_FIELDS.join(', ')}). Fix: run stetpay install once, as a user with Settings rights.`,
    );
    expect(statuses(fields)['odoo.rights']).to.equal('ok');
  });

  it('DOCTOR-05 a right the user lacks is named with the fix (asked through check_access_rights: an administrator-only right, which the Billing user lacks)', async () => {
    const r = await doctor({}, { odooRights: [['account.move', 'read'], ['ir.model.fields', 'create']] });
    expect(line(r, 'odoo.rights')).to.equal(
      'FAIL odoo.rights        clerk may not create ir.model.fields. Fix: give clerk the Invoicing (Billing) or Accounting rights in Settings > Users (the daily commands need no administrator).',
    );
  });

  it('DOCTOR-06 Redis down; Redis that may evict and keeps no append-only file, without the schedules', async () => {
    const port = await freePort();
    const down = await doctor({ STETPAY_REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(['redis.reachable', 'redis.version', 'schedules'].map((id) => line(down, id))).to.deep.equal([
      `FAIL redis.reachable    Redis at 127.0.0.1:${port} refused the connection (ECONNREFUSED). Fix: start redis-server there, or correct redis.url (STETPAY_REDIS_URL).`,
      'SKIP redis.version      Redis could not be reached.',
      'SKIP schedules          Redis could not be reached.',
    ]);
    const loose = await startRedis(['--maxmemory-policy', 'allkeys-lru']);
    try {
      const r = await doctor({ STETPAY_REDIS_URL: loose.url });
      expect(['redis.eviction', 'redis.persistence', 'schedules'].map((id) => line(r, id))).to.deep.equal([
        'FAIL redis.eviction     maxmemory-policy is allkeys-lru: Redis may evict the ledger that stops a payment being sent twice. Fix: set maxmemory-policy noeviction in redis.conf (CONFIG SET maxmemory-policy noeviction, then CONFIG REWRITE).',
        'FAIL redis.persistence  append-only file off: a restart of Redis would lose the ledger and the queues written since the last snapshot. Fix: set appendonly yes and appendfsync everysec in redis.conf (CONFIG SET appendonly yes, then CONFIG REWRITE).',
        'FAIL schedules          the nightly run and the status sync are not scheduled in Redis (prefix {doctor}). Fix: run stetpay schedule once (a deploy step), with the same redis.url and redis.prefix as the workers.',
      ]);
      expect(statuses(r)['redis.version']).to.equal('ok');
      // a Redis older than 6.2 cannot be had here: the comparison the version line rests on
      expect(['6.0.16', '6.2.0', '7.0.15', '10.0.1', '5.9.9'].map((v) => versionAtLeast(v, [6, 2]))).to.deep.equal([false, true, true, true, false]);
    } finally {
      await loose.stop();
    }
  });

  it('DOCTOR-07 the bank: a key given as the QWAC certificate, a client_id the QWAC does not name', async () => {
    const key = await doctor({ STETPAY_QWAC_CERT: sb.certs.qwacKeyPath });
    expect(['bank.certificates', 'bank.ca', 'bank.token', 'bank.signed-call'].map((id) => line(key, id))).to.deep.equal([
      'FAIL bank.certificates  bank.qwacCert holds a private key, not a certificate: give the QWAC certificate file (-----BEGIN CERTIFICATE-----). Fix: give each setting the file it names; a set-up error is not temporary.',
      'SKIP bank.ca            the certificates or keys are not usable.',
      'SKIP bank.token         the certificates or keys are not usable.',
      'SKIP bank.signed-call   the certificates or keys are not usable.',
    ]);
    const org = await doctor({ STETPAY_CLIENT_ID: 'PSDFR-ACPR-99999' });
    expect(line(org, 'bank.certificates')).to.equal(
      'FAIL bank.certificates  bank.clientId is PSDFR-ACPR-99999 but the QWAC in bank.qwacCert names PSDFR-ACPR-12345. Fix: give each setting the file it names; a set-up error is not temporary.',
    );
  });

  it("DOCTOR-08 the bank: no bank.ca (the clock is then read from Odoo), a QWAC the bank does not know, a QSealC key it does not know, the bank down", async () => {
    const host = new URL(sb.tokenUrl).host;
    const noCa = await doctor({ STETPAY_BANK_CA: undefined });
    expect(['bank.ca', 'bank.token', 'bank.signed-call', 'clock'].map((id) => line(noCa, id))).to.deep.equal([
      `FAIL bank.ca            POST /stet/psd2/oauth/token: stetpay does not trust the bank's server certificate at ${host} (SELF_SIGNED_CERT_IN_CHAIN); set bank.ca to the file of the CA that signed it. A set-up error, not an outage: nothing was sent, and retrying will not help until it is fixed. Fix: set bank.ca to the file of the CA that signed the bank's server certificate.`,
      "SKIP bank.token         the bank's server certificate is not trusted.",
      'SKIP bank.signed-call   no access token.',
      "OK   clock              this machine's clock agrees with Odoo's Date header (tolerance 60 s).",
    ]);

    const other = await makeTestCertificates(join(CERTS_DIR, '..', 'stetpay-test-other-ca-certs'));
    const unknown = await doctor({ STETPAY_QWAC_CERT: other.qwacCertPath, STETPAY_QWAC_KEY: other.qwacKeyPath });
    expect(['bank.ca', 'bank.token'].map((id) => line(unknown, id))).to.deep.equal([
      `OK   bank.ca            the bank's server certificate at ${host} is trusted (bank.ca).`,
      "FAIL bank.token         The bank's token endpoint refused client_id PSDFR-ACPR-12345 with this QWAC certificate (401: invalid_client / a client certificate issued by a trusted CA is required (mutual TLS with the QWAC)). Check that bank.clientId equals the organisation identifier in bank.qwacCert and that the bank knows that certificate (X-Request-ID <request-id>). Fix: check that bank.clientId is the QWAC's organisation identifier and that the bank has registered the QWAC.",
    ]);

    const seal = await doctor({ STETPAY_QSEAL_KEY: sb.certs.qwacKeyPath });
    expect(line(seal, 'bank.signed-call')).to.equal(
      "FAIL bank.signed-call   The bank refused the request's signature on GET /payment-requests/stetpay-preflight-check (403: Forbidden: authentication issue: Signature does not verify with the QSealC certificate / invalid_signature): check the QSealC key and qsealKeyId (the QSealC certificate registered with the bank) (X-Request-ID <request-id>). Fix: check bank.qsealKey and bank.qsealKeyId: the QSealC the bank has registered, and its key.",
    );

    const port = await freePort();
    const down = await doctor({ STETPAY_BANK_URL: `https://127.0.0.1:${port}/stet/psd2/v1.6.2`, STETPAY_BANK_TOKEN_URL: `https://127.0.0.1:${port}/stet/psd2/oauth/token` });
    expect(['bank.ca', 'bank.token', 'bank.signed-call'].map((id) => line(down, id))).to.deep.equal([
      'SKIP bank.ca            the bank could not be reached.',
      `FAIL bank.token         POST /stet/psd2/oauth/token: 127.0.0.1:${port} refused the connection (ECONNREFUSED): nothing was sent. The bank's API is down, or bank.tokenUrl names the wrong port; try again later. Fix: try again later; if it lasts, check bank.tokenUrl and the network.`,
      'SKIP bank.signed-call   no access token.',
    ]);
  });

  it('DOCTOR-09 a callback URL that is not public HTTPS', async () => {
    const http = await doctor({ STETPAY_CALLBACK_URL: 'http://stetpay.example.com' });
    const fix = "Fix: set callback.publicUrl (STETPAY_CALLBACK_URL) to the public HTTPS address of your reverse proxy in front of stetpay's callback (port callback.listenPort).";
    expect(line(http, 'callback.url')).to.equal(`FAIL callback.url       callback.publicUrl http://stetpay.example.com is not HTTPS: the bank sends the signatory's browser back there with the payment's state. ${fix}`);
    const local = await doctor({ STETPAY_CALLBACK_URL: 'https://192.168.1.20:8787' });
    expect(line(local, 'callback.url')).to.equal(`FAIL callback.url       callback.publicUrl https://192.168.1.20:8787 is not a public address: the signatory's browser, coming back from the bank, cannot reach it. ${fix}`);
  });

  it("DOCTOR-10 this machine's clock ten minutes behind the bank's", async () => {
    sb.advanceClock(10 * 60_000 + 500);
    const r = await doctor();
    expect(line(r, 'clock')).to.match(
      /^FAIL clock {14}this machine's clock is 10 min behind the bank's \(Date: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT\)\. Fix: keep the clock set by NTP \(timedatectl set-ntp true\): the signature's Date, the cut-off and the execution dates depend on it\.$/,
    );
    expect(r.ok).to.equal(false);
  });
});
