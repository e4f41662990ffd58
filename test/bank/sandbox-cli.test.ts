import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BankRejectedError } from '../../connector/stet/errors/bank-error.js';
import { NWM_18919 } from '../../connector/profiles/index.js';
import { StetClient } from '../../connector/stet/stet-client.js';
import { BankUsageError, parseBankArgs } from '../../sandbox/bank/cli-args.js';
import { makeTestCertificates } from '../../sandbox/bank/index.js';
import { buildRoot } from '../support/paths.js';
import { CREDITOR_IBAN, DEBTOR_IBAN, OTHER_CREDITOR_IBAN, paymentRequest } from './fixtures.js';
import { CERTS_DIR, rawHttps } from './harness.js';

const usage = (args: string[]) => {
  try {
    parseBankArgs(args);
  } catch (err) {
    expect(err).to.be.instanceOf(BankUsageError);
    return (err as Error).message;
  }
  throw new Error(`expected ${args.join(' ')} to be refused`);
};

describe('`stetpay sandbox bank` flags (parseBankArgs)', () => {
  it('without flags: the NWM profile, no auto-consent, and nothing else (the sandbox defaults apply)', () => {
    expect(parseBankArgs([])).to.deep.equal({ profile: 'nwm-18919', autoConsent: 'off' });
  });

  it('every flag becomes its option: NWM-17 beneficiaries, NWM-18 cash accounts, token lifetime, consent time-out, faults', () => {
    const parsed = parseBankArgs([
      '--port', '8443', '--admin-port', '8444', '--host', '0.0.0.0', '--profile', 'stet-1.6', '--auto-consent', '--rate', '5',
      '--beneficiaries', 'FR76 3000 4000 0312 3456 7890 143,de89370400440532013000', '--cash-accounts', 'FR7630006000011234567890189',
      '--token-lifetime', '3600', '--consent-timeout', '2.5', '--latency', '40', '--error-500-rate', '0.1', '--error-503-rate', '0.05',
      '--drop-rate', '0.02', '--record-then-drop-rate', '0.01', '--fault-seed', '7',
    ]);
    expect(parsed).to.deep.equal({
      host: '0.0.0.0', port: 8443, adminPort: 8444, profile: 'stet-1.6', autoConsent: 'approve', requestsPerSecond: 5,
      registeredBeneficiaries: ['FR7630004000031234567890143', 'DE89370400440532013000'], cashAccounts: ['FR7630006000011234567890189'],
      tokenLifetimeSeconds: 3600, consentTimeoutMs: 150_000,
      faults: { latencyMs: 40, error500Rate: 0.1, error503Rate: 0.05, dropRate: 0.02, recordThenDropRate: 0.01, seed: 7 },
    });
  });

  it('refuses what the sandbox cannot use, saying which flag and why', () => {
    expect(usage(['--beneficiaries', 'FR76300040000312345678901430000000000000'])).to.equal("option '--beneficiaries <ibans>' argument 'FR76300040000312345678901430000000000000' is invalid. Not an IBAN: FR76300040000312345678901430000000000000.");
    expect(usage(['--cash-accounts', ','])).to.equal("option '--cash-accounts <ibans>' argument ',' is invalid. Expected at least one IBAN (comma-separated).");
    expect(usage(['--token-lifetime', String(181 * 24 * 3600)])).to.equal("option '--token-lifetime <seconds>' argument '15638400' is invalid. NWM-22 caps a token's life at 180 days (15552000 s).");
    expect(usage(['--consent-timeout', '0'])).to.equal("option '--consent-timeout <minutes>' argument '0' is invalid. Expected a positive number of minutes.");
    expect(usage(['--latency=-5'])).to.equal("option '--latency <ms>' argument '-5' is invalid. Expected a whole number.");
    expect(usage(['--error-500-rate', '10'])).to.equal("option '--error-500-rate <share>' argument '10' is invalid. Expected a share between 0 and 1 (0.1 = 10%).");
    expect(usage(['--error-500-rate', '0.6', '--drop-rate', '0.6'])).to.equal('the fault rates add up to 1.2: at most 1 (each call suffers one fault at most)');
    expect(usage(['--profile', 'stet-1.4'])).to.equal("option '--profile <profile>' argument 'stet-1.4' is invalid. Allowed choices are nwm-18919, stet-1.6.");
    expect(usage(['--fail-rate', '0.1'])).to.equal("unknown option '--fail-rate'");
  });
});

describe('`stetpay sandbox bank` flags take effect (the command, run)', () => {
  let child: ChildProcess | undefined;
  let out = '';
  const line = (label: string) => new RegExp(`${label}\\s+(\\S+)`).exec(out)?.[1] as string;

  before(async function () {
    this.timeout(20_000);
    const cli = join(buildRoot, 'plugin', 'cli.js');
    if (!existsSync(cli)) return this.skip();
    await makeTestCertificates(CERTS_DIR);
    const args = ['sandbox', 'bank', '--port', '0', '--admin-port', '0', '--certs', CERTS_DIR,
      '--beneficiaries', CREDITOR_IBAN, '--cash-accounts', DEBTOR_IBAN, '--token-lifetime', '120', '--consent-timeout', '1',
      '--latency', '1', '--error-503-rate', '0.25', '--fault-seed', '9'];
    child = spawn(process.execPath, ['-e', `import(${JSON.stringify('file://' + cli)}).then(async m => { process.exitCode = await m.main(${JSON.stringify(args)}); })`], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
    for (let i = 0; i < 200 && !out.includes('Press Ctrl+C'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(out).to.contain('Press Ctrl+C');
  });
  after(async () => {
    if (!child || child.exitCode !== null) return;
    const c = child;
    await new Promise((resolve) => { c.on('exit', resolve); c.kill('SIGTERM'); });
  });

  it('prints the settings, and the token lifetime, consent time-out, faults, NWM-17 and NWM-18 are those given', async () => {
    expect(out).to.contain(`NWM-17 beneficiaries  ${CREDITOR_IBAN}`).and.contain(`NWM-18 cash accounts  ${DEBTOR_IBAN}`)
      .and.contain('token lifetime 120 s, consent time-out 1 min, faults: latencyMs 1, error503Rate 0.25, seed 9');
    const admin = line('admin API');
    expect(await (await fetch(`${admin}/admin/faults`)).json()).to.deep.equal({ latencyMs: 1, error503Rate: 0.25, seed: 9 });
    await fetch(`${admin}/admin/faults`, { method: 'DELETE' }); // the checks below want every call answered

    const certs = await makeTestCertificates(CERTS_DIR);
    const [qwacCert, qwacKey, ca, qsealKey] = [certs.qwacCertPath, certs.qwacKeyPath, certs.caCertPath, certs.qsealKeyPath].map((p) => readFileSync(p));
    const token = await rawHttps(line('token URL'), { method: 'POST', cert: qwacCert, key: qwacKey, ca, headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${certs.organisationId}&scope=pisp` });
    expect(JSON.parse(token.text)).to.include({ expires_in: 120 });

    const client = new StetClient({ baseUrl: line('API base'), tokenUrl: line('token URL'), clientId: certs.organisationId, qwacCert: qwacCert!, qwacKey: qwacKey!, ca, qsealKey: qsealKey!, qsealKeyId: certs.qsealKeyId, profile: NWM_18919 });
    try {
      const now = new Date((await (await fetch(`${admin}/admin/clock`)).json() as { now: string }).now);
      const ok = await client.paymentRequests.create(paymentRequest({ now }));
      expect(ok.meta.status).to.equal(201);
      const nwm17 = await client.paymentRequests.create(paymentRequest({ now, creditorIban: OTHER_CREDITOR_IBAN })).then(() => undefined, (e: unknown) => e);
      expect(nwm17).to.be.instanceOf(BankRejectedError).with.property('bankMessage').that.contains('NWM-17');
      const nwm18 = await client.paymentRequests.create(paymentRequest({ now, mutate: (b) => { b.debtorAccount.iban = 'FR1420041010050500013M02606'; } })).then(() => undefined, (e: unknown) => e);
      expect(nwm18).to.be.instanceOf(BankRejectedError).with.property('bankMessage').that.contains('NWM-18');
      // One minute and a second without consent: RJCT NOAS (the token, 120 s, still lives).
      await fetch(`${admin}/admin/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 61_000 }) });
      const read = await client.paymentRequests.retrieve(ok.meta.resourceId as string);
      expect(read.body.paymentRequest).to.include({ paymentInformationStatus: 'RJCT', statusReasonInformation: 'NOAS' });
    } finally {
      client.close();
    }
  });
});
