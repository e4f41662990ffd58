/**
 * `stetpay sandbox up`: the bank sandbox, the Odoo dev server, the Verification
 * of Payee sandbox and (unless a Redis is given) a throwaway redis-server in
 * this process, and a ready config
 * file for them, so a newcomer tries the operator's commands (install, run,
 * worker, sync, report, export...) against them from another terminal.
 * `stop()` stops them and removes the certificates and the config it wrote.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SandboxProfile } from '../../sandbox/bank/index.js';
import type { OdooVersion } from '../../sandbox/odoo/index.js';
import { CommandFailure } from '../errors.js';
import { loadConfig, requireSections } from '../config/index.js';
import { startDemoParts, type DemoParts } from './embedded-parts.js';
import { signatoryLink } from '../signatory/index.js';

export interface SandboxUpOptions {
  /** The config file to write; refused when it exists. */
  out: string;
  invoices: number;
  odooVersion: OdooVersion;
  profile: SandboxProfile;
  autoConsent: boolean;
  ports: { odoo: number; bank: number; bankAdmin: number; callback: number };
  /** An existing Redis; else a throwaway redis-server is started. */
  redisUrl?: string;
  say: (m: string) => void;
}

export interface SandboxUp {
  /** Absolute path of the config written. */
  configPath: string;
  parts: DemoParts;
  /** The dev server signatory's link to the signatory's page (12 hours). */
  signatoryLink: string;
  /** Stops everything and removes the temporary files and the config (unless someone changed it). */
  stop(): Promise<void>;
}

/** The keys of the throwaway stack's config: the schema's defaults do the rest. */
function configFor(parts: DemoParts): Record<string, unknown> {
  const { odoo, bank } = parts;
  if (!odoo || !bank) throw new Error('sandbox up starts its own Odoo and bank');
  const o = parts.overrides as Record<string, Record<string, unknown>>;
  return {
    // Its own prefix, so a Redis given with --redis-url mixes nothing with a real installation's queues.
    redis: { url: parts.redisUrl, prefix: 'stetpay-sandbox' },
    // The administrator's API key: `install` needs Settings rights (the daily commands would do with the clerk).
    odoo: { url: odoo.url, database: odoo.database, username: odoo.admin.login, password: odoo.admin.apiKey },
    bank: o.bank,
    callback: o.callback,
    ...(o.vop ? { vop: o.vop } : {}),
    // The dev server's signatory and clerk get their to-dos at the first sync (the signatory's page: docs/signatory.md).
    activities: { signatories: { users: [odoo.signatory.login] }, clerks: { users: [odoo.clerk.login] }, summaryTime: '00:00' },
  };
}

export async function startSandboxUp(o: SandboxUpOptions): Promise<SandboxUp> {
  const configPath = resolve(o.out);
  if (existsSync(configPath)) {
    throw new CommandFailure(`${configPath} exists: sandbox up writes a new config and never overwrites one; move it away (a leftover of an earlier sandbox up can be deleted) or write another file with --out FILE`);
  }
  const parts = await startDemoParts({
    env: o.redisUrl ? { STETPAY_REDIS_URL: o.redisUrl } : {},
    invoices: o.invoices,
    say: o.say,
    odooVersion: o.odooVersion,
    bankProfile: o.profile,
    autoConsent: o.autoConsent,
    ports: o.ports,
  });
  const text = `${JSON.stringify(configFor(parts), null, 2)}\n`;
  const stop = async () => {
    await parts.stop();
    // Only the file as written: an edited one is the user's now.
    if (existsSync(configPath) && readFileSync(configPath, 'utf8') === text) rmSync(configPath, { force: true });
  };
  try {
    // It holds the Odoo API key and the callback secret: readable by its owner only.
    writeFileSync(configPath, text, { mode: 0o600, flag: 'wx' });
    // What `stetpay run` will load: a mistake here is ours, said before the user tries.
    requireSections(loadConfig({ file: configPath, env: {} }), ['odoo', 'redis', 'bank', 'callback'], 'stetpay sandbox up');
    const callback = (parts.overrides as Record<string, { publicUrl: string; secret: string }>).callback!;
    const link = signatoryLink(callback.publicUrl, callback.secret, parts.odoo!.signatory.uid, new Date(Date.now() + 12 * 3600_000));
    return { configPath, parts, signatoryLink: link, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
