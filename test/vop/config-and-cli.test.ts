/** The vop config section (defaults, variables, what the schema cannot say) and `stetpay sandbox vop`'s flags. */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, redactConfig } from '../../plugin/config/index.js';
import { problemsOf } from '../support/config-problems.js';
import { readVopDirectory } from '../../sandbox/vop/cli.js';
import { parseVopArgs, VopUsageError } from '../../sandbox/vop/cli-args.js';
import { CERTS_DIR } from '../bank/harness.js';
import { buildRoot } from '../support/paths.js';

const PEM_KEY = '-----BEGIN PRIVATE KEY-----\nS3CR3TK3YMATERIAL\n-----END PRIVATE KEY-----\n';
const PEM_CERT = '-----BEGIN CERTIFICATE-----\nPUBLICCERT\n-----END CERTIFICATE-----\n';

describe('vop configuration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stetpay-vop-config-'));
    writeFileSync(join(dir, 'vop.pem'), PEM_CERT);
    writeFileSync(join(dir, 'vop.key'), PEM_KEY);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('VOP-CONFIG defaults: warn, no provider, notPossible warn, no bulk opt-out, 24 h cache', () => {
    expect(loadConfig({ cwd: dir, env: {} }).vop).to.deep.equal({ mode: 'warn', timeoutMs: 10000, batchSize: 100, cacheHours: 24, notPossible: 'warn', bulkOptOut: false });
  });

  it('VOP-CONFIG the STETPAY_VOP_* variables set the section; the key is read once and never printed', () => {
    const c = loadConfig({
      cwd: dir,
      env: {
        STETPAY_VOP_MODE: 'enforce', STETPAY_VOP_URL: 'https://vop.bank.example/vop/v1', STETPAY_VOP_CERT: 'vop.pem', STETPAY_VOP_KEY: 'vop.key',
        STETPAY_VOP_TIMEOUT_MS: '2500', STETPAY_VOP_BATCH_SIZE: '1', STETPAY_VOP_CACHE_HOURS: '0.5', STETPAY_VOP_NOT_POSSIBLE: 'hold', STETPAY_VOP_BULK_OPT_OUT: 'no',
      },
    });
    expect(c.vop).to.deep.include({ mode: 'enforce', url: 'https://vop.bank.example/vop/v1', cert: join(dir, 'vop.pem'), key: join(dir, 'vop.key'), timeoutMs: 2500, batchSize: 1, cacheHours: 0.5, notPossible: 'hold', bulkOptOut: false });
    expect(c.vop.pem).to.deep.equal({ cert: PEM_CERT, key: PEM_KEY });
    expect(JSON.stringify(redactConfig(c))).not.to.contain('S3CR3TK3YMATERIAL');
  });

  it('VOP-CONFIG enforce needs a provider; a provider needs its certificate and key; a wrong mode is named', () => {
    expect(problemsOf(() => loadConfig({ cwd: dir, env: { STETPAY_VOP_MODE: 'enforce' } }))).to.deep.equal([
      'config: vop.url is required when vop.mode is enforce (from STETPAY_VOP_MODE): set the Verification of Payee provider (vop.url, vop.cert, vop.key; STETPAY_VOP_URL...), or use vop.mode warn or off',
    ]);
    expect(problemsOf(() => loadConfig({ cwd: dir, env: { STETPAY_VOP_URL: 'https://vop.example' } }))).to.deep.equal([
      'config: vop.cert is required when vop.url is set: the path of the client certificate (PEM) for mutual TLS with the provider (STETPAY_VOP_CERT)',
      'config: vop.key is required when vop.url is set: the path of the client private key (PEM) for mutual TLS with the provider (STETPAY_VOP_KEY)',
    ]);
    const wrong = problemsOf(() => loadConfig({ cwd: dir, env: { STETPAY_VOP_MODE: 'strict' } }));
    expect(wrong).to.have.length(1);
    expect(wrong[0]).to.contain('vop.mode').and.contain('off, warn, enforce').and.contain('STETPAY_VOP_MODE');
  });
});

describe('`stetpay sandbox vop` flags (parseVopArgs)', () => {
  it('VOP-SANDBOX the default directory is the Odoo dev server seed\'s suppliers, the close match and the mismatch named', () => {
    const parsed = parseVopArgs(['--invoices', '200', '--seed', '1']);
    expect(parsed.directory).to.deep.equal({ seeded: { invoices: 200, seed: 1 } });
    const dir = readVopDirectory(parsed.directory);
    expect(dir.accounts.length).to.be.above(22);
    expect(dir.source).to.match(/^the \d+ supplier accounts of the Odoo dev server seeded with --invoices 200 --seed 1\n {4}close match {2}[A-Z]{2}\d\d[A-Z0-9]+: the bank holds '.+'\n {4}no match {5}[A-Z]{2}\d\d[A-Z0-9]+: the bank holds 'Jean-Marc Fraudet'$/);
  });

  it('VOP-SANDBOX faults and accounts from flags, the defaults otherwise; a bad share, --accounts with --invoices, or rates above 1 are refused', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'stetpay-vop-accounts-')), 'a.json');
    writeFileSync(file, JSON.stringify([{ iban: 'DE89 3704 0044 0532 0130 00', name: 'Müller GmbH' }]));
    const parsed = parseVopArgs(['--accounts', file, '--timeout-rate', '0.2', '--noap-rate', '0.1', '--latency', '50', '--not-participating', 'DE89370400440532013000', '--port', '0']);
    expect(parsed).to.deep.equal({
      options: { host: '127.0.0.1', port: 0, adminPort: 0, adminHost: '127.0.0.1', notParticipating: ['DE89370400440532013000'], faults: { latencyMs: 50, timeoutRate: 0.2, noapRate: 0.1 } },
      directory: { file },
    });
    expect(readVopDirectory(parsed.directory).accounts).to.deep.equal([{ iban: 'DE89 3704 0044 0532 0130 00', name: 'Müller GmbH' }]);
    expect(parseVopArgs([])).to.deep.equal({ options: { host: '127.0.0.1', port: 0, adminPort: 0, adminHost: '127.0.0.1', faults: {} }, directory: { seeded: { invoices: 50, seed: 1 } } });
    expect(() => parseVopArgs(['--timeout-rate', '2'])).to.throw(VopUsageError, "option '--timeout-rate <share>' argument '2' is invalid. Expected a share between 0 and 1 (0.1 = 10%).");
    expect(() => parseVopArgs(['--accounts', file, '--invoices', '10'])).to.throw(VopUsageError, "option '--accounts <file>' cannot be used with option '--invoices <n>'");
    expect(() => parseVopArgs(['--timeout-rate', '0.6', '--noap-rate', '0.6'])).to.throw(VopUsageError, 'the fault rates add up to 1.2: at most 1 (each request suffers one fault at most)');
  });
});

describe('`stetpay sandbox vop` (the command)', () => {
  it('VOP-SANDBOX prints vop.url, the certificates and the seeded close match and mismatch, then stops cleanly on SIGTERM', async function () {
    this.timeout(15000);
    const cli = join(buildRoot, 'plugin', 'cli.js');
    if (!existsSync(cli)) return this.skip();
    const child = spawn(process.execPath, ['-e', `import(${JSON.stringify('file://' + cli)}).then(async m => { process.exitCode = await m.main(['sandbox','vop','--port','0','--admin-port','0','--certs',${JSON.stringify(CERTS_DIR)}]); })`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
    for (let i = 0; i < 100 && !out.includes('Press Ctrl+C'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(out).to.match(/vop\.url\s+https:\/\/127\.0\.0\.1:\d+\/vop\/v1/).and.match(/admin API\s+http:\/\/127\.0\.0\.1:\d+/).and.contain('qwac.crt')
      .and.contain('close match').and.contain("the bank holds 'Jean-Marc Fraudet'");
    const code = await new Promise<number | null>((resolve) => { child.on('exit', resolve); child.kill('SIGTERM'); });
    expect(code).to.equal(0);
    expect(out).to.contain('stetpay VoP sandbox stopped.');
  });
});
