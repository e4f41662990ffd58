import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followingBusinessDay } from '../../sandbox/bank/calendar.js';
import { runCertsCli } from '../../sandbox/bank/cli.js';
import { formatEuros } from '../../sandbox/bank/consent-page.js';
import { extractPaymentRequestSchema, type JsonObject } from '../../sandbox/bank/schema/extract-schema.js';
import { makeTestCertificates } from '../../sandbox/bank/index.js';
import { buildRoot, officialStetSpecPath, repoRoot } from '../support/paths.js';

describe('bank sandbox: certificates, schema extract, calendar, CLI', () => {
  it('makeTestCertificates reuses a complete set and the CLI prints where it is', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stetpay-certs-cli-'));
    try {
      const lines: string[] = [];
      const log = console.log;
      console.log = (s: string) => lines.push(s);
      try {
        expect(await runCertsCli({ out: dir })).to.equal(0);
      } finally {
        console.log = log;
      }
      expect(lines.join('\n')).to.contain(join(dir, 'qwac.crt')).and.match(/qseal_[0-9a-f]{64}\.pem/);
      const before = readFileSync(join(dir, 'qseal.crt'), 'utf8');
      const again = await makeTestCertificates(dir);
      expect(readFileSync(again.qsealCertPath, 'utf8')).to.equal(before);
      expect(again.organisationId).to.equal('PSDFR-ACPR-12345');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the committed schema extract is what the generator makes from the official STET file, with attribution and no 1.6.3-only item', function () {
    const committed = JSON.parse(readFileSync(join(repoRoot, 'sandbox', 'bank', 'schema', 'payment-request-resource.schema.json'), 'utf8')) as JsonObject;
    expect(committed['x-attribution']).to.contain('Copyright (c) STET').and.contain('CC BY 3.0 FR');
    const defs = JSON.stringify(committed.definitions);
    expect(defs).to.not.contain('investigationStatus').and.not.contain('loginHintToken').and.not.contain('"AM02"').and.not.contain('"AM04"');
    if (!existsSync(officialStetSpecPath)) return this.skip();
    const fresh = extractPaymentRequestSchema(JSON.parse(readFileSync(officialStetSpecPath, 'utf8')) as JsonObject);
    expect(fresh).to.deep.equal(committed);
  });

  it('NWM-06: a date on a weekend or TARGET holiday moves to the next business day', () => {
    expect(followingBusinessDay('2030-03-16')).to.equal('2030-03-18'); // Saturday
    expect(followingBusinessDay('2030-04-19')).to.equal('2030-04-23'); // Good Friday, weekend, Easter Monday
    expect(followingBusinessDay('2030-12-25')).to.equal('2030-12-27');
    expect(followingBusinessDay('2030-03-13')).to.equal('2030-03-13');
  });

  it('amounts are shown in euros with French grouping, by string arithmetic', () => {
    expect(formatEuros('1234.56', 'EUR')).to.equal('1 234,56 EUR');
    expect(formatEuros('1234567.5', 'EUR')).to.equal('1 234 567,50 EUR');
    expect(formatEuros('0.07', 'EUR')).to.equal('0,07 EUR');
    expect(formatEuros('100', 'EUR')).to.equal('100,00 EUR');
  });

  it('`stetpay sandbox bank` prints where it listens and where the certificates are, then stops cleanly on SIGTERM', async function () {
    this.timeout(60000); // making the certificates with openssl takes seconds on a loaded machine
    const cli = join(buildRoot, 'plugin', 'cli.js');
    if (!existsSync(cli)) return this.skip();
    const child = spawn(process.execPath, ['-e', `import(${JSON.stringify('file://' + cli)}).then(async m => { process.exitCode = await m.main(['sandbox','bank','--port','0','--admin-port','0','--certs',${JSON.stringify(join(tmpdir(), 'stetpay-test-bank-certs'))}]); })`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
    const deadline = Date.now() + 45000;
    while (!out.includes('Press Ctrl+C') && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(out).to.match(/API base\s+https:\/\/127\.0\.0\.1:\d+\/stet\/psd2\/v1\.6\.2/).and.match(/token URL\s+https:\/\/127\.0\.0\.1:\d+\/stet\/psd2\/oauth\/token/)
      .and.match(/admin API\s+http:\/\/127\.0\.0\.1:\d+/).and.contain('qwac.crt');
    const code = await new Promise<number | null>((resolve) => { child.on('exit', resolve); child.kill('SIGTERM'); });
    expect(code).to.equal(0);
    expect(out).to.contain('stopped');
  });
});
