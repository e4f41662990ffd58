import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, ENV_VARS, loadConfig, redactConfig, requireSections } from '../../plugin/config/index.js';
import { repoRoot } from '../support/paths.js';
import { problemsOf } from '../support/config-problems.js';
import { insecureOdooWarning } from '../../plugin/config/odoo-url-rules.js';

const PEM_KEY = '-----BEGIN PRIVATE KEY-----\nS3CR3TK3YMATERIAL\n-----END PRIVATE KEY-----\n';
const PEM_CERT = '-----BEGIN CERTIFICATE-----\nPUBLICCERT\n-----END CERTIFICATE-----\n';
const SECRET = 'cb-secret-0123456789abcdef0123456789abcdef';


describe('config (plugin/config)', () => {
  let dir: string;
  let fullEnv: NodeJS.ProcessEnv;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stetpay-config-'));
    writeFileSync(join(dir, 'qwac.pem'), PEM_CERT);
    writeFileSync(join(dir, 'qwac.key'), PEM_KEY);
    writeFileSync(join(dir, 'qseal.key'), PEM_KEY);
    fullEnv = {
      STETPAY_ODOO_URL: 'https://odoo.example.com',
      STETPAY_ODOO_DB: 'prod',
      STETPAY_ODOO_USER: 'stetpay',
      STETPAY_ODOO_PASSWORD: 'odoo-pass-XYZ',
      STETPAY_REDIS_URL: 'redis://:redis-pass-XYZ@127.0.0.1:6379',
      STETPAY_BANK_PROFILE: 'nwm-18919',
      STETPAY_BANK_URL: 'https://api.bank.example/stet',
      STETPAY_BANK_TOKEN_URL: 'https://api.bank.example/token',
      STETPAY_CLIENT_ID: 'PSDFR-ACPR-12345',
      STETPAY_QWAC_CERT: join(dir, 'qwac.pem'),
      STETPAY_QWAC_KEY: join(dir, 'qwac.key'),
      STETPAY_QSEAL_KEY: join(dir, 'qseal.key'),
      STETPAY_QSEAL_KEY_ID: 'https://tpp.example/qseal.pem',
      STETPAY_CALLBACK_URL: 'https://stetpay.example.com/',
      STETPAY_CALLBACK_SECRET: SECRET,
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies every default when there is no file and no environment', () => {
    const c = loadConfig({ cwd: dir, env: {} });
    expect(c.odoo).to.equal(undefined);
    expect(c.payments).to.deep.equal({ executionPolicy: 'due-date', cutoffTime: '15:00', timeZone: 'Europe/Paris', categoryPurpose: 'CASH' });
    expect(c.worker).to.deep.equal({ concurrency: 2, attempts: 8, writebackBatchSize: 500 });
    expect(c.sync).to.deep.equal({ everyMinutes: 15 });
    expect(c.schedule).to.deep.equal({ cron: '0 30 2 * * *', tz: 'Europe/Paris' });
    expect(c.source.file).to.equal(null);
  });

  it('reads the environment into every section, with section defaults and PEM files loaded', () => {
    const c = loadConfig({ cwd: dir, env: fullEnv });
    expect(c.odoo).to.deep.include({ url: 'https://odoo.example.com', database: 'prod', username: 'stetpay', password: 'odoo-pass-XYZ', timeoutMs: 30000 });
    expect(c.redis).to.deep.equal({ url: 'redis://:redis-pass-XYZ@127.0.0.1:6379', prefix: 'bull', cluster: false });
    expect(c.bank?.profile).to.equal('nwm-18919');
    expect(c.bank?.pem).to.deep.equal({ qwacCert: PEM_CERT, qwacKey: PEM_KEY, qsealKey: PEM_KEY });
    expect(c.bank?.responseTimeoutMs).to.equal(30000);
    expect(c.callback).to.deep.equal({ publicUrl: 'https://stetpay.example.com', listenPort: 8787, listenHost: '127.0.0.1', secret: SECRET });
  });

  it('lets the environment override the file, and overrides win over both', () => {
    writeFileSync(join(dir, 'stetpay.config.json'), JSON.stringify({ redis: { url: 'redis://file:6379', prefix: '{stetpay}' }, worker: { concurrency: 3 }, schedule: { tz: 'UTC' } }));
    const c = loadConfig({ cwd: dir, env: { STETPAY_REDIS_URL: 'redis://env:6379', STETPAY_WORKER_CONCURRENCY: '5' }, overrides: { schedule: { cron: '0 0 3 * * *' } } });
    expect(c.redis).to.deep.equal({ url: 'redis://env:6379', prefix: '{stetpay}', cluster: false });
    expect(c.worker.concurrency).to.equal(5);
    expect(c.schedule).to.deep.equal({ cron: '0 0 3 * * *', tz: 'UTC' });
    expect(c.source.file).to.equal(join(dir, 'stetpay.config.json'));
  });

  it('reads secrets from *_FILE variables and *File keys (one trailing newline dropped), paths relative to the file', () => {
    writeFileSync(join(dir, 'odoo.pw'), 'from-file-pw\n');
    writeFileSync(join(dir, 'cb.secret'), SECRET + '\n');
    const env = { ...fullEnv, STETPAY_ODOO_PASSWORD: undefined, STETPAY_ODOO_PASSWORD_FILE: join(dir, 'odoo.pw'), STETPAY_CALLBACK_SECRET: undefined };
    writeFileSync(join(dir, 'stetpay.config.json'), JSON.stringify({ callback: { publicUrl: 'https://cb.example', secretFile: 'cb.secret' } }));
    const c = loadConfig({ cwd: dir, env });
    expect(c.odoo?.password).to.equal('from-file-pw');
    expect(c.callback?.secret).to.equal(SECRET);
    expect(c.callback?.secretFile).to.equal(join(dir, 'cb.secret'));
  });

  it('a password set by the environment replaces a passwordFile from the file', () => {
    writeFileSync(join(dir, 'stetpay.config.json'), JSON.stringify({ odoo: { passwordFile: 'missing.pw' } }));
    const c = loadConfig({ cwd: dir, env: fullEnv });
    expect(c.odoo?.password).to.equal('odoo-pass-XYZ');
  });

  it('names the key and the environment variable of a missing value', () => {
    const problems = problemsOf(() => loadConfig({ cwd: dir, env: { STETPAY_ODOO_DB: 'prod', STETPAY_ODOO_USER: 'u', STETPAY_ODOO_PASSWORD: 'p' } }));
    expect(problems).to.deep.equal(['config: odoo.url is required: set it in stetpay.config.json or STETPAY_ODOO_URL']);
  });

  it('names the key of a wrong type, a bad enum and an unknown key, all at once', () => {
    writeFileSync(join(dir, 'stetpay.config.json'), JSON.stringify({ worker: { concurrency: 'four' }, bank: { profil: 'x' }, sync: { everyMinutes: 0 } }));
    const problems = problemsOf(() => loadConfig({ cwd: dir, env: { ...fullEnv, STETPAY_BANK_PROFILE: 'foo' } }));
    expect(problems).to.include("config: bank.profile must be one of nwm-18919, stet-1.6 (got 'foo') (from STETPAY_BANK_PROFILE)");
    expect(problems).to.include('config: bank.profil is not a known key of bank: remove it or fix its spelling (see docs/config.md)');
    expect(problems).to.include("config: worker.concurrency must be an integer (got 'four', a string)");
    expect(problems).to.include('config: sync.everyMinutes must be at least 1 (got 0)');
    expect(problems).to.have.length(4);
  });

  it('reports an unknown top-level section, a bad time zone and an unreadable key file', () => {
    writeFileSync(join(dir, 'stetpay.config.json'), JSON.stringify({ odo: {}, payments: { timeZone: 'Europe/Pari' } }));
    const problems = problemsOf(() => loadConfig({ cwd: dir, env: { ...fullEnv, STETPAY_QSEAL_KEY: join(dir, 'nope.key') } }));
    expect(problems).to.include('config: odo is not a known key: remove it or fix its spelling (see docs/config.md)');
    expect(problems).to.include("config: payments.timeZone must be an IANA time zone, e.g. Europe/Paris (got 'Europe/Pari')");
    expect(problems).to.include(`config: bank.qsealKey: cannot read ${join(dir, 'nope.key')}: no such file`);
  });

  it('never quotes a secret in an error', () => {
    const problems = problemsOf(() => loadConfig({ cwd: dir, env: { ...fullEnv, STETPAY_CALLBACK_SECRET: 'tooshort-s3cr3t' } }));
    expect(problems).to.deep.equal(['config: callback.secret must be at least 32 characters long (got 15) (from STETPAY_CALLBACK_SECRET)']);
  });

  it('fails on a --config file that does not exist, or is not JSON', () => {
    expect(problemsOf(() => loadConfig({ cwd: dir, env: {}, file: 'other.json' }))).to.deep.equal([`config: cannot read the config file ${join(dir, 'other.json')}: no such file`]);
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    expect(problemsOf(() => loadConfig({ cwd: dir, env: {}, file: 'bad.json' }))[0]).to.match(/^config: .*bad\.json is not valid JSON/);
  });

  it('returns a deeply frozen configuration', () => {
    const c = loadConfig({ cwd: dir, env: fullEnv });
    expect(Object.isFrozen(c)).to.equal(true);
    expect(Object.isFrozen(c.bank)).to.equal(true);
    expect(Object.isFrozen(c.bank?.pem)).to.equal(true);
    expect(() => {
      (c.worker as { concurrency: number }).concurrency = 9;
    }).to.throw(TypeError);
  });

  it('redacts every secret: passwords, the HMAC key, private keys, and passwords inside URLs', () => {
    const c = loadConfig({ cwd: dir, env: fullEnv });
    const text = JSON.stringify(redactConfig(c));
    for (const secret of ['odoo-pass-XYZ', 'redis-pass-XYZ', SECRET, 'S3CR3TK3YMATERIAL']) expect(text).not.to.contain(secret);
    const r = redactConfig(c) as { odoo: { password: string }; callback: { secret: string }; bank: { qwacKey: string; pem: { qwacKey: string } }; redis: { url: string } };
    expect(r.odoo.password).to.equal('[redacted]');
    expect(r.callback.secret).to.equal('[redacted]');
    expect(r.bank.pem.qwacKey).to.equal('[redacted]');
    expect(r.bank.qwacKey).to.equal(join(dir, 'qwac.key')); // the path is not a secret
    expect(r.redis.url).to.equal('redis://:***@127.0.0.1:6379');
  });

  it('a config error about a URL never prints the password inside it', () => {
    const problems = problemsOf(() => loadConfig({ cwd: dir, env: { STETPAY_REDIS_URL: 'http://worker:hunter2-secret@127.0.0.1:6379' } }));
    expect(problems.join('\n')).not.to.contain('hunter2-secret');
    expect(problems).to.include("config: redis.url must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379 (got 'http://worker:***@127.0.0.1:6379') (from STETPAY_REDIS_URL)");
  });

  it('requireSections names each missing section and how to set it', () => {
    const c = loadConfig({ cwd: dir, env: { STETPAY_REDIS_URL: 'redis://127.0.0.1:6379' } });
    expect(requireSections(c, ['redis']).redis.url).to.equal('redis://127.0.0.1:6379');
    const problems = problemsOf(() => requireSections(c, ['odoo', 'redis', 'bank'], 'stetpay run'));
    expect(problems).to.have.length(2);
    expect(problems[0]).to.match(/^config: odoo is required by stetpay run: set odoo\.url.*STETPAY_ODOO_URL/);
    expect(problems[1]).to.match(/^config: bank is required by stetpay run: .*STETPAY_BANK_PROFILE/);
  });

  it('docs/config.md names every environment variable and every key of the schema', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'config.md'), 'utf8');
    expect(ENV_VARS.map((v) => v.name).filter((n) => !doc.includes(n))).to.deep.equal([]);
    const schema = configSchema() as { properties: Record<string, { properties?: Record<string, unknown> }> };
    const keys = Object.entries(schema.properties).flatMap(([sec, s]) => Object.keys(s.properties ?? {}).map((k) => `${sec}.${k}`));
    expect(keys.length).to.be.greaterThan(30);
    expect(keys.filter((k) => !doc.includes('`' + k + '`'))).to.deep.equal([]);
  });

  it('CONFIG-PURPOSE payments.purpose and payments.instant are read from the file; absent, no purpose and no instant', () => {
    const file = join(dir, 'stetpay.config.json');
    writeFileSync(file, JSON.stringify({ payments: { purpose: 'ACCT', instant: true } }));
    expect(loadConfig({ cwd: dir, env: fullEnv }).payments).to.include({ purpose: 'ACCT', instant: true });
    writeFileSync(file, '{}');
    const plain = loadConfig({ cwd: dir, env: fullEnv }).payments;
    expect(plain).not.to.have.property('purpose');
    expect(plain).not.to.have.property('instant');
    writeFileSync(file, JSON.stringify({ payments: { purpose: 'acct' } }));
    expect(problemsOf(() => loadConfig({ cwd: dir, env: fullEnv })).join('\n')).to.contain('payments.purpose');
  });

  it('CONFIG-PROTO a __proto__, constructor or prototype key in the file is ignored: Object.prototype stays clean and the load works', () => {
    const file = join(dir, 'stetpay.config.json');
    writeFileSync(file, '{"__proto__": {"polluted": true, "odoo": {"url": "http://evil.example"}}, "worker": {"__proto__": {"concurrency": 99}, "constructor": {"prototype": {"x": 1}}, "concurrency": 3}, "prototype": {"y": 2}}');
    const c = loadConfig({ cwd: dir, env: fullEnv });
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect((Object.prototype as Record<string, unknown>).x).to.equal(undefined);
    expect(c.worker.concurrency).to.equal(3);
    expect(c.odoo!.url).to.equal('https://odoo.example.com');
  });

  it('CONFIG-HTTP odoo.url over http:// to another machine is refused unless odoo.allowInsecureHttp says so, then warned on every start; loopback is fine', () => {
    const remote = problemsOf(() => loadConfig({ cwd: dir, env: { ...fullEnv, STETPAY_ODOO_URL: 'http://odoo.example.com:8069' } }));
    expect(remote).to.deep.equal([
      'config: odoo.url http://odoo.example.com:8069 would send the Odoo API key in clear (http://) to odoo.example.com: use https://, or set odoo.allowInsecureHttp: true if the network to Odoo is yours end to end (from STETPAY_ODOO_URL)',
    ]);
    for (const url of ['http://127.0.0.1:8069', 'http://localhost:8069', 'http://[::1]:8069', 'https://odoo.example.com']) {
      expect(loadConfig({ cwd: dir, env: { ...fullEnv, STETPAY_ODOO_URL: url } }).odoo!.url, url).to.equal(url);
    }
    const allowed = loadConfig({ cwd: dir, env: { ...fullEnv, STETPAY_ODOO_URL: 'http://odoo.lan:8069', STETPAY_ODOO_ALLOW_INSECURE_HTTP: '1' } });
    expect(allowed.odoo!.allowInsecureHttp).to.equal(true);
    expect(insecureOdooWarning(allowed.odoo!)).to.equal('stetpay: warning: odoo.url is http:// to odoo.lan (odoo.allowInsecureHttp): the Odoo API key crosses the network in clear on every call; use https://');
    expect(insecureOdooWarning(loadConfig({ cwd: dir, env: fullEnv }).odoo!)).to.equal(null);
  });
});
