/**
 * The parts a pipeline benchmark runs against, all real: a throwaway
 * redis-server, the Odoo dev server seeded with N bills (fields installed), the
 * bank sandbox (NWM 18919, no automatic consent; in a child process) with an optional rate limit
 * and latency, and the config a user would have, built by `loadConfig` from
 * overrides (and the same settings as STETPAY_* variables, for a child
 * `stetpay run`). Payments go out `asap`, so every valid bill is payable now.
 */
import { stetpayEnvFor } from '../../test/support/sandbox-env.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installFields } from '../../connector/odoo/index.js';
import { openOdoo } from '../../plugin/connect/open-odoo.js';
import type { WorkerConfig } from '../../plugin/runtime/worker-runtime.js';
import { loadConfig, requireSections } from '../../plugin/config/index.js';
import { startBankProcess, type BankProcess } from './bank-process.js';
import { startOdooDevServer, type RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { freePort, startRedis, type TestRedis } from '../../test/support/redis-server.js';

export interface StackOptions {
  /** Vendor bills seeded in the Odoo dev server (about 7% of them have a problem and are refused before the bank). */
  bills: number;
  /** The sandbox's limit over its API and token paths; undefined = none. */
  bankRequestsPerSecond?: number;
  /** Added before every sandbox API answer. @defaultValue 0 */
  bankLatencyMs?: number;
  /** `bank.requestsPerSecond` of the config: what the workers' shared limiter allows. @defaultValue 1000 (the schema's maximum) */
  workerRequestsPerSecond?: number;
  /** `worker.concurrency`. @defaultValue 16 */
  concurrency?: number;
  /**
   * The bank gives every consent at once and its redirect reaches the worker's callback server (on
   * 127.0.0.1, as the public URL), as a signatory approving each payment would. @defaultValue false
   */
  consentAll?: boolean;
  /** Progress lines. */
  log?: (m: string) => void;
}

export interface BenchStack {
  redis: TestRedis;
  odoo: RunningOdooDevServer;
  /** The bank sandbox, in a child process. */
  bank: BankProcess;
  config: WorkerConfig;
  /** The same configuration as STETPAY_* variables (for a child process; no config file is read). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** A production-like public URL: its length is part of every consent link stored in a job. */
export const BENCH_CALLBACK_URL = 'https://stetpay.atelier-lumiere.fr';
const BENCH_SECRET = 'bench-callback-secret-0123456789abcdef0123456789abcdef';

export async function startStack(opts: StackOptions): Promise<BenchStack> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const redis = await startRedis();
    stops.push(() => redis.stop());
    opts.log?.(`seeding ${opts.bills.toLocaleString('en-US')} bills in the Odoo dev server`);
    const odoo = await startOdooDevServer({ version: 17, seed: { invoices: opts.bills, seed: 1 } });
    stops.push(() => odoo.close());
    const seed = odoo.seedInfo!;
    const bank = await startBankProcess({
      profile: 'nwm-18919',
      certsDir: mkdtempSync(join(tmpdir(), 'stetpay-bench-certs-')),
      autoConsent: opts.consentAll ? 'approve' : 'off',
      registeredBeneficiaries: seed.registeredIbans,
      cashAccounts: [seed.debtorIban],
      requestsPerSecond: opts.bankRequestsPerSecond,
      faults: opts.bankLatencyMs ? { latencyMs: opts.bankLatencyMs } : undefined,
    });
    stops.push(() => bank.close());
    const prefix = `{stetpay-bench}`;
    const rps = opts.workerRequestsPerSecond ?? 1000;
    const concurrency = opts.concurrency ?? 16;
    const callbackPort = await freePort();
    const env: Record<string, string> = {
      ...stetpayEnvFor({ odoo, bank, redisUrl: redis.url, prefix, registeredIbans: seed.registeredIbans }),
      STETPAY_ODOO_TIMEOUT_MS: '600000',
      STETPAY_BANK_RPS: String(rps),
      STETPAY_CALLBACK_URL: opts.consentAll ? `http://127.0.0.1:${callbackPort}` : BENCH_CALLBACK_URL,
      STETPAY_CALLBACK_HOST: '127.0.0.1',
      STETPAY_CALLBACK_PORT: String(callbackPort),
      STETPAY_CALLBACK_SECRET: BENCH_SECRET,
      STETPAY_EXECUTION_POLICY: 'asap',
      STETPAY_WORKER_CONCURRENCY: String(concurrency),
    };
    const config = requireSections(
      loadConfig({ env, cwd: mkdtempSync(join(tmpdir(), 'stetpay-bench-')) }),
      ['odoo', 'redis', 'bank', 'callback'],
      'stetpay bench',
    );
    const admin = await openOdoo(config.odoo);
    try {
      await installFields(admin);
    } finally {
      admin.close();
    }
    return { redis, odoo, bank, config, env, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** POST /payment-requests the sandbox answered, from its request log. */
export async function paymentPosts(bank: BankProcess): Promise<{ at: number; status: number | 'dropped' }[]> {
  return (await bank.requests())
    .filter((r) => r.method === 'POST' && /\/payment-requests$/.test(r.path))
    .map((r) => ({ at: Date.parse(r.at), status: r.status }));
}

/** Bills of the dev server still `queued` (in-process read: no XML-RPC call counted, no load on the client). */
export function stillQueued(odoo: RunningOdooDevServer): number {
  let n = 0;
  for (const id of odoo.store.allIds('account.move')) if (odoo.store.value('account.move', id, 'x_stet_status') === 'queued') n++;
  return n;
}

/** Bills to seed for about `payments` payable ones: about 16% of the seed's bills are refused before the bank (problem bills). */
export function billsForPayments(payments: number): number {
  return Math.ceil(payments / 0.84);
}
