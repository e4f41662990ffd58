/**
 * The whole product on real parts for the browser test: a throwaway
 * redis-server, the Odoo dev server (seeded, stetpay fields installed), the
 * bank sandbox with automatic consent OFF (a person must click), and the
 * worker runtime (submit worker, write-back, sync, consent callback server)
 * built from a config loaded the way the commands load it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installFields } from '../../connector/odoo/index.js';
import { getBankProfile, type BankProfile } from '../../connector/profiles/index.js';
import { createLogger } from '../../plugin/runtime/logger.js';
import { openOdoo } from '../../plugin/connect/open-odoo.js';
import { startWorkerRuntime, type WorkerConfig, type WorkerRuntime } from '../../plugin/runtime/worker-runtime.js';
import { loadConfig, requireSections } from '../../plugin/config/index.js';
import { startBankSandbox, type BankSandboxOptions, type RunningBankSandbox } from '../../sandbox/bank/index.js';
import { startOdooDevServer, type RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { freePort, startRedis, type TestRedis } from '../support/redis-server.js';
import { bankSectionFor, odooSectionFor } from '../../plugin/demo/embedded-parts.js';
import { SuiteBrowser } from './chromium.js';

export interface Stack {
  redis: TestRedis;
  odoo: RunningOdooDevServer;
  bank: RunningBankSandbox;
  config: WorkerConfig;
  profile: BankProfile;
  runtime: WorkerRuntime;
  /** Stops everything started, in reverse order; safe to call twice. */
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Vendor bills seeded in the Odoo dev server. */
  invoices: number;
  /** Seed of the Odoo data. @defaultValue 3 */
  seed?: number;
  /** The bank sandbox's profile. @defaultValue 'nwm-18919' */
  profile?: 'nwm-18919' | 'stet-1.6';
  /** Keys of the config's bank section over the stack's. @defaultValue { submissionMode: 'nightly' } */
  bank?: Record<string, unknown>;
  /** More config sections (e.g. activities). */
  config?: Record<string, unknown>;
  /** More bank sandbox options. */
  sandbox?: Partial<BankSandboxOptions>;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    while (stops.length) await stops.pop()!().catch(() => undefined);
  };
  try {
    const redis = await startRedis();
    stops.push(() => redis.stop());
    const odoo = await startOdooDevServer({ version: 17, seed: { invoices: opts.invoices, seed: opts.seed ?? 3 } });
    stops.push(() => odoo.close());
    const info = odoo.seedInfo!;
    const bank = await startBankSandbox({
      profile: opts.profile ?? 'nwm-18919',
      certsDir: mkdtempSync(join(tmpdir(), 'stetpay-browser-certs-')),
      autoConsent: 'off',
      registeredBeneficiaries: info.registeredIbans,
      cashAccounts: [info.debtorIban],
      ...opts.sandbox,
    });
    stops.push(() => bank.close());
    const callbackPort = await freePort();
    const overrides = {
      redis: { url: redis.url, prefix: `{stetpay-browser-${process.pid}}` },
      odoo: { ...odooSectionFor(odoo), password: odoo.admin.apiKey },
      bank: { ...bankSectionFor(bank, info.registeredIbans), ...(opts.bank ?? { submissionMode: 'nightly' }) },
      ...opts.config,
      callback: {
        publicUrl: `http://127.0.0.1:${callbackPort}`,
        listenHost: '127.0.0.1',
        listenPort: callbackPort,
        secret: `browser-test-${process.pid}-${Date.now()}-not-for-production`,
      },
    };
    // Only what this test started: no stetpay.config.json, no STETPAY_* from the shell.
    const config = requireSections(loadConfig({ env: {}, overrides, cwd: mkdtempSync(join(tmpdir(), 'stetpay-browser-')) }), ['odoo', 'redis', 'bank', 'callback'], 'browser test');
    const admin = await openOdoo(config.odoo);
    try {
      await installFields(admin);
    } finally {
      admin.close();
    }
    const profile = getBankProfile(config.bank.profile);
    const runtime = await startWorkerRuntime(config, { logger: createLogger({ level: process.env.STETPAY_LOG_LEVEL ?? 'error' }) });
    stops.push(() => runtime.close());
    return { redis, odoo, bank, config, profile, runtime, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Reads until `done` holds: Odoo's record follows the batched write-back within a second or two. */
/**
 * The whole product and a browser for the suite this is called in: started
 * before its tests (a minute allowed), stopped after them; `use` receives the
 * stack. Returns the suite's browser.
 */
export function stackAndBrowserPerSuite(opts: StackOptions, use: (stack: Stack) => void): SuiteBrowser {
  let stack: Stack | undefined;
  const browser = new SuiteBrowser();
  before(async function () {
    this.timeout(60_000);
    stack = await startStack(opts);
    await browser.start();
    use(stack);
  });
  after(async function () {
    this.timeout(30_000);
    await browser.close();
    await stack?.stop();
  });
  return browser;
}

export async function poll<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still not there after ${timeoutMs} ms (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
