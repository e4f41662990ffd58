/**
 * The demo's parts: each is the one named by the environment when set
 * (STETPAY_REDIS_URL, STETPAY_ODOO_*, STETPAY_BANK_*), else an embedded
 * default started here and stopped at the end.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBankSandbox, type RunningBankSandbox } from '../../sandbox/bank/index.js';
import { startOdooDevServer, type RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { startVopSandbox, type RunningVopSandbox } from '../../sandbox/vop/index.js';
import { freePort, startRedis, type TestRedis } from './throwaway-redis.js';

export interface DemoParts {
  redisUrl: string;
  redis?: TestRedis;
  odoo?: RunningOdooDevServer;
  bank?: RunningBankSandbox;
  vop?: RunningVopSandbox;
  callbackPort: number;
  /** Config overrides for what the demo started (what the environment gave stays as loadConfig reads it). */
  overrides: Record<string, unknown>;
  stop(): Promise<void>;
}

/** The `bank` config section that points stetpay at a running bank sandbox, with its test certificates. */
export function bankSectionFor(bank: RunningBankSandbox, registeredBeneficiaries?: string[]): Record<string, unknown> {
  const c = bank.certs;
  return {
    profile: bank.profile,
    apiBaseUrl: bank.apiBaseUrl,
    tokenUrl: bank.tokenUrl,
    clientId: c.organisationId,
    qwacCert: c.qwacCertPath,
    qwacKey: c.qwacKeyPath,
    qsealKey: c.qsealKeyPath,
    qsealKeyId: c.qsealKeyId,
    ca: c.caCertPath,
    ...(registeredBeneficiaries ? { registeredBeneficiaries } : {}),
  };
}

/** The `vop` config section for a running VoP sandbox (its test certificates), holding close matches and mismatches. */
export function vopSectionFor(vop: RunningVopSandbox, mode: 'warn' | 'enforce' = 'enforce'): Record<string, unknown> {
  const c = vop.certs;
  return { mode, url: vop.url, cert: c.qwacCertPath, key: c.qwacKeyPath, ca: c.caCertPath };
}

/** The `odoo` config section for a running Odoo dev server, as its administrator. */
export function odooSectionFor(odoo: RunningOdooDevServer): Record<string, unknown> {
  return { url: odoo.url, database: odoo.database, username: odoo.admin.login, password: odoo.admin.password };
}

export async function startDemoParts(env: NodeJS.ProcessEnv, invoices: number, say: (m: string) => void): Promise<DemoParts> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const overrides: Record<string, Record<string, unknown>> = {};
    let redis: TestRedis | undefined;
    let redisUrl = env.STETPAY_REDIS_URL;
    if (!redisUrl) {
      redis = await startRedis();
      stops.push(() => redis!.stop());
      redisUrl = redis.url;
      say(`redis-server started on ${redis.url} (pid ${redis.pid})`);
    }
    // The throwaway redis-server is one server, whatever STETPAY_REDIS_CLUSTER says.
    overrides.redis = { url: redisUrl, prefix: env.STETPAY_REDIS_PREFIX ?? `{stetpay-demo-${Date.now()}}`, ...(redis ? { cluster: false } : {}) };

    let odoo: RunningOdooDevServer | undefined;
    if (!env.STETPAY_ODOO_URL) {
      odoo = await startOdooDevServer({ version: 17, seed: { invoices, seed: 1 } });
      stops.push(() => odoo!.close());
      overrides.odoo = odooSectionFor(odoo);
      say(`Odoo dev server (17) on ${odoo.url}, database ${odoo.database}, ${invoices} bills seeded`);
    }

    let bank: RunningBankSandbox | undefined;
    if (!env.STETPAY_BANK_URL) {
      bank = await startBankSandbox({
        profile: 'nwm-18919',
        certsDir: mkdtempSync(join(tmpdir(), 'stetpay-demo-certs-')),
        autoConsent: 'approve',
        registeredBeneficiaries: odoo?.seedInfo?.registeredIbans ?? 'any',
        cashAccounts: odoo?.seedInfo ? [odoo.seedInfo.debtorIban] : 'any',
      });
      stops.push(() => bank!.close());
      overrides.bank = bankSectionFor(bank, odoo?.seedInfo?.registeredIbans);
      say(`bank sandbox (NWM 18919, automatic consent) on ${bank.apiBaseUrl}`);
    }

    // Verification of Payee: the seeded suppliers' banks, a close match and a mismatch among them.
    let vop: RunningVopSandbox | undefined;
    if (!env.STETPAY_VOP_URL) {
      vop = await startVopSandbox({ certsDir: bank?.certs.dir ?? mkdtempSync(join(tmpdir(), 'stetpay-demo-certs-')), accounts: odoo?.seedInfo?.payees ?? [] });
      stops.push(() => vop!.close());
      overrides.vop = vopSectionFor(vop, env.STETPAY_VOP_MODE === 'warn' ? 'warn' : 'enforce');
      if (env.STETPAY_VOP_MODE) delete overrides.vop.mode;
      say(`Verification of Payee sandbox on ${vop.url} (${odoo?.seedInfo?.payees.length ?? 0} accounts; ${odoo?.seedInfo?.payeeProblems.map((p) => p.kind.replace('_', ' ')).join(' and ') || 'no'} seeded)`);
    }

    const callbackPort = await freePort();
    if (!env.STETPAY_CALLBACK_URL) {
      overrides.callback = {
        publicUrl: `http://127.0.0.1:${callbackPort}`,
        listenHost: '127.0.0.1',
        listenPort: callbackPort,
        secret: `demo-${Math.random().toString(36).slice(2)}-${Date.now()}-not-for-production`,
      };
    }
    return { redisUrl, redis, odoo, bank, vop, callbackPort, overrides, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
