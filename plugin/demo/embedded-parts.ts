/**
 * The throwaway parts of the demo and of `stetpay sandbox up`: each is the one
 * named by the environment when set (STETPAY_REDIS_URL, STETPAY_ODOO_URL,
 * STETPAY_BANK_URL, STETPAY_VOP_URL), else an embedded default started here and stopped at the
 * end. Their files (test certificates, with private keys) live in one temporary
 * folder, removed by `stop()`, also when the start fails or on Ctrl-C meanwhile.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DEFAULT_SANDBOX_PROFILE, startBankSandbox, type RunningBankSandbox, type SandboxProfile } from '../../sandbox/bank/index.js';
import { startOdooDevServer, type OdooVersion, type RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { startVopSandbox, type RunningVopSandbox } from '../../sandbox/vop/index.js';
import { cleanUpOnInterrupt, makeTempFolder } from '../app/process-cleanup.js';
import { CommandFailure } from '../cli-args.js';
import { freePort, startRedis, type TestRedis } from './throwaway-redis.js';

export interface DemoParts {
  redisUrl: string;
  redis?: TestRedis;
  odoo?: RunningOdooDevServer;
  bank?: RunningBankSandbox;
  vop?: RunningVopSandbox;
  callbackPort: number;
  /** The temporary folder of the parts (certificates...): gone after `stop()`. */
  dir: string;
  /** Config overrides for what was started (what the environment gave stays as loadConfig reads it). */
  overrides: Record<string, unknown>;
  /** Stops what was started and removes the temporary folder; safe to call twice. */
  stop(): Promise<void>;
}

export interface DemoPartsOptions {
  /** Parts the environment names are used instead of started. */
  env: NodeJS.ProcessEnv;
  /** Vendor bills seeded in the Odoo dev server. */
  invoices: number;
  say: (m: string) => void;
  /** @defaultValue 17 */
  odooVersion?: OdooVersion;
  /** @defaultValue 'nwm-18919' */
  bankProfile?: SandboxProfile;
  /** The bank approves every payment at once. @defaultValue true */
  autoConsent?: boolean;
  /** Ports, 0 = a free one (then the callback gets a free port found here). @defaultValue all 0 */
  ports?: { odoo?: number; bank?: number; bankAdmin?: number; callback?: number };
}

/** The `bank` config section that points stetpay at a running bank sandbox, with its test certificates. */
/**
 * The `bank` config section for a running bank sandbox. `submissionMode`: a
 * sandbox that approves every payment at once wants `nightly` (the workers
 * POST and the sandbox consents); unset = the profile's.
 */
export function bankSectionFor(bank: RunningBankSandbox, registeredBeneficiaries?: string[], submissionMode?: 'nightly' | 'on-signatory'): Record<string, unknown> {
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
    ...(submissionMode ? { submissionMode } : {}),
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

/** A part that cannot listen says which port and which flag to change. */
async function listening<T>(start: () => Promise<T>, what: string, port: number | undefined, flag: string): Promise<T> {
  try {
    return await start();
  } catch (err) {
    if ((err as NodeJS.ErrnoException)?.code === 'EADDRINUSE') throw new CommandFailure(`${what}: port ${port} is taken: stop what uses it, or choose another with ${flag} (0 picks a free one)`);
    throw err;
  }
}

export async function startDemoParts(o: DemoPartsOptions): Promise<DemoParts> {
  const { env, say } = o;
  const ports = o.ports ?? {};
  const folder = makeTempFolder('stetpay-demo-');
  const stops: (() => Promise<void>)[] = [async () => folder.remove()];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const s of stops.reverse()) await s().catch(() => undefined);
    })());
  // Ctrl-C while the parts start: stop what has started; the caller takes over once they are up.
  const keepOnInterrupt = cleanUpOnInterrupt(stop);
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
      const version = o.odooVersion ?? 17;
      odoo = await listening(() => startOdooDevServer({ version, port: ports.odoo ?? 0, seed: { invoices: o.invoices, seed: 1 } }), 'the Odoo dev server', ports.odoo, '--odoo-port');
      stops.push(() => odoo!.close());
      overrides.odoo = odooSectionFor(odoo);
      say(`Odoo dev server (${version}) on ${odoo.url}, database ${odoo.database}, ${o.invoices} bills seeded`);
    }

    let bank: RunningBankSandbox | undefined;
    if (!env.STETPAY_BANK_URL) {
      const autoConsent = o.autoConsent ?? true;
      bank = await listening(
        () =>
          startBankSandbox({
            profile: o.bankProfile ?? DEFAULT_SANDBOX_PROFILE,
            port: ports.bank ?? 0,
            adminPort: ports.bankAdmin ?? 0,
            certsDir: join(folder.path, 'certs'),
            autoConsent: autoConsent ? 'approve' : 'off',
            registeredBeneficiaries: odoo?.seedInfo?.registeredIbans ?? 'any',
            cashAccounts: odoo?.seedInfo ? [odoo.seedInfo.debtorIban] : 'any',
          }),
        'the bank sandbox',
        ports.bank,
        '--bank-port or --bank-admin-port',
      );
      stops.push(() => bank!.close());
      overrides.bank = bankSectionFor(bank, odoo?.seedInfo?.registeredIbans, autoConsent ? 'nightly' : undefined);
      say(`bank sandbox (${bank.profile}${autoConsent ? ', automatic consent' : ''}) on ${bank.apiBaseUrl}`);
    }

    // Verification of Payee: the seeded suppliers' banks, a close match and a mismatch among them.
    let vop: RunningVopSandbox | undefined;
    if (!env.STETPAY_VOP_URL) {
      vop = await startVopSandbox({ certsDir: join(folder.path, 'certs'), accounts: odoo?.seedInfo?.payees ?? [] });
      stops.push(() => vop!.close());
      overrides.vop = vopSectionFor(vop, env.STETPAY_VOP_MODE === 'warn' ? 'warn' : 'enforce');
      if (env.STETPAY_VOP_MODE) delete overrides.vop.mode;
      say(`Verification of Payee sandbox on ${vop.url} (${odoo?.seedInfo?.payees.length ?? 0} accounts; ${odoo?.seedInfo?.payeeProblems.map((p) => p.kind.replace('_', ' ')).join(' and ') || 'no'} seeded)`);
    }

    const callbackPort = ports.callback || (await freePort());
    if (!env.STETPAY_CALLBACK_URL) {
      overrides.callback = {
        publicUrl: `http://127.0.0.1:${callbackPort}`,
        listenHost: '127.0.0.1',
        listenPort: callbackPort,
        secret: `${randomBytes(24).toString('hex')}-not-for-production`,
      };
    }
    keepOnInterrupt();
    return { redisUrl, redis, odoo, bank, vop, callbackPort, dir: folder.path, overrides, stop };
  } catch (err) {
    await stop();
    keepOnInterrupt();
    throw err;
  }
}
