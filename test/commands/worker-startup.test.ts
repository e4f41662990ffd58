/**
 * `stetpay worker` fails loudly: every start-up failure ends the process with a
 * non-zero code and one line, so systemd's `Restart=always` starts it again
 * (it used to print the error and stay alive doing nothing).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createLogger } from '../../plugin/runtime/logger.js';
import { startWorkerRuntime } from '../../plugin/runtime/worker-runtime.js';
import { loadConfig, requireSections } from '../../plugin/config/index.js';
import { makeTestCertificates } from '../../sandbox/bank/index.js';
import { startOdooDevServer, type RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { freePort, startRedis, type TestRedis } from '../support/redis-server.js';
import { stetpayEnvFor } from '../support/sandbox-env.js';
import { runStetpay, startStetpay } from '../support/stetpay-bin.js';

describe('commands: stetpay worker start-up failures (the real binary)', function () {
  this.timeout(60_000);
  let odoo: RunningOdooDevServer;
  let redis: TestRedis;
  let dir: string;
  let env: Record<string, string>;
  let callbackPort: number;

  before(async () => {
    [odoo, redis] = await Promise.all([startOdooDevServer({ seed: { invoices: 2, seed: 3 } }), startRedis()]);
    dir = mkdtempSync(join(tmpdir(), 'stetpay-worker-start-'));
    const certs = await makeTestCertificates(join(dir, 'certs'));
    callbackPort = await freePort();
    // No bank runs: a worker whose start fails never calls it.
    const bankUrl = `https://127.0.0.1:${await freePort()}`;
    env = {
      ...stetpayEnvFor({
        odoo: { url: odoo.url, database: odoo.database, admin: { login: odoo.admin.login, password: odoo.admin.apiKey } },
        bank: { apiBaseUrl: `${bankUrl}/stet/psd2/v1.6.2`, tokenUrl: `${bankUrl}/stet/psd2/oauth/token`, certs },
        redisUrl: redis.url,
        prefix: '{worker-start}',
        registeredIbans: odoo.seedInfo!.registeredIbans,
      }),
      STETPAY_CALLBACK_URL: `http://127.0.0.1:${callbackPort}`,
      STETPAY_CALLBACK_PORT: String(callbackPort),
      STETPAY_CALLBACK_SECRET: 'worker-start-test-secret-0123456789abcdef',
    };
  });
  after(async () => {
    await Promise.all([odoo.close(), redis.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** The worker's start, to its end: its code and its stderr lines (the JSON log lines of pino left out). */
  async function failedStart(args: string[], extraEnv: Record<string, string | undefined> = {}) {
    const r = await runStetpay(['worker', ...args], { env: { ...env, ...extraEnv }, cwd: dir, timeoutMs: 30_000 });
    expect(r.signal, 'it ended by itself, not killed by the test').to.equal(null);
    return { code: r.code, lines: r.stderr.split('\n').filter((l) => l && !l.startsWith('{')) };
  }

  it('WORKER-START-01 the callback port is taken (a second worker on the host): exit 1, one line naming --no-callback and --callback-port', async () => {
    const taken: Server = await new Promise((resolve) => {
      const s = createServer();
      s.listen(callbackPort, '127.0.0.1', () => resolve(s));
    });
    try {
      expect(await failedStart([])).to.deep.equal({
        code: 1,
        lines: [
          `stetpay worker: the consent callback cannot listen on 127.0.0.1:${callbackPort}: the port is taken (another stetpay worker on this host?): start this worker with --no-callback, or give it its own --callback-port (callback.listenPort, STETPAY_CALLBACK_PORT)`,
        ],
      });
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });

  it('WORKER-START-02 Redis refuses the connection: exit 1 at once, one line, no ioredis stack', async () => {
    const port = await freePort();
    expect(await failedStart([], { STETPAY_REDIS_URL: `redis://127.0.0.1:${port}` })).to.deep.equal({
      code: 1,
      lines: [`stetpay worker: Redis at 127.0.0.1:${port} refused the connection (ECONNREFUSED): start redis-server there, or correct redis.url (STETPAY_REDIS_URL)`],
    });
  });

  it('WORKER-START-03 a bad config and a bad flag: exit 1 and 2, one line each', async () => {
    expect(await failedStart([], { STETPAY_CALLBACK_SECRET: undefined })).to.deep.equal({
      code: 1,
      lines: ['config: callback.secret is required: set callback.secret or callback.secretFile in stetpay.config.json, or STETPAY_CALLBACK_SECRET / STETPAY_CALLBACK_SECRET_FILE'],
    });
    expect(await failedStart(['--concurrency', 'abc'])).to.deep.equal({
      code: 2,
      lines: ["stetpay worker: option '--concurrency <n>' argument 'abc' is invalid. Expected a whole number from 1 to 64."],
    });
  });

  it('WORKER-START-04 Odoo unreachable: exit 1, one line', async () => {
    const r = await failedStart([], { STETPAY_ODOO_URL: `http://127.0.0.1:${await freePort()}`, STETPAY_ODOO_TIMEOUT_MS: '2000' });
    expect(r.code).to.equal(1);
    expect(r.lines).to.have.length(1);
    expect(r.lines[0]).to.match(/^stetpay worker: .*Odoo/);
  });

  it('WORKER-START-05 two workers on one host: the second with --callback-port serves its own callback; with --no-callback none', async () => {
    const first = startStetpay(['worker'], { env, cwd: dir });
    const otherPort = await freePort();
    const second = startStetpay(['worker', '--callback-port', String(otherPort)], { env, cwd: dir });
    const third = startStetpay(['worker', '--no-callback'], { env, cwd: dir });
    try {
      await first.waitFor(new RegExp(`consent callback on http://127\\.0\\.0\\.1:${callbackPort}\\.`));
      await second.waitFor(new RegExp(`consent callback on http://127\\.0\\.0\\.1:${otherPort}\\.`));
      await third.waitFor(/running \(pid \d+\), no consent callback here\./);
      for (const port of [callbackPort, otherPort]) expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).to.equal(200);
    } finally {
      for (const w of [first, second, third]) w.child.kill('SIGTERM');
      const ends = await Promise.all([first.exited, second.exited, third.exited]);
      expect(ends.map((e) => e.code), 'each stops cleanly on SIGTERM').to.deep.equal([0, 0, 0]);
    }
  });

  it('WORKER-START-06 a failed start closes everything it had opened (Odoo, Redis connections, the write-back drainer): nothing keeps the process alive', async () => {
    const taken: Server = await new Promise((resolve) => {
      const s = createServer();
      s.listen(callbackPort, '127.0.0.1', () => resolve(s));
    });
    try {
      const config = requireSections(loadConfig({ env, cwd: dir }), ['odoo', 'redis', 'bank', 'callback'], 'test');
      const handles = () => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').sort();
      const before = handles();
      const err = await startWorkerRuntime(config, { logger: createLogger({ level: 'silent' }) }).then(() => undefined, (e: unknown) => e);
      expect((err as Error).message).to.match(/^the consent callback cannot listen on 127\.0\.0\.1:\d+: the port is taken/);
      // Sockets close asynchronously: wait for the condition, not for a time.
      for (let i = 0; i < 100 && handles().join() !== before.join(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(handles()).to.deep.equal(before);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });
});
