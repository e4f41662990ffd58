/**
 * `stetpay sandbox vop`: the Verification of Payee sandbox. Its directory is
 * the Odoo dev server's seeded suppliers (same --invoices and --seed as
 * `stetpay sandbox odoo`), or a JSON file of {iban, name}.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { OdooStore } from '../odoo/store.js';
import { seedStore } from '../odoo/seed.js';
import { untilStopSignal } from '../serve.js';
import { startVopSandbox, type VopFaults, type VopSandboxOptions } from './index.js';

export const VOP_USAGE = `Usage: stetpay sandbox vop [options]
  --port P                   HTTPS port (mutual TLS); 0 = a free one
  --host H                   HTTPS address (default 127.0.0.1)
  --admin-port A             plain-HTTP admin port (no authentication, loopback by default)
  --certs DIR                make or reuse the test certificates in DIR (share them with sandbox bank)
  --invoices N --seed S      the directory: the suppliers of the Odoo dev server seeded so (default 50, 1)
  --accounts FILE            the directory from a JSON file instead: [{"iban": "...", "name": "..."}]
  --not-participating IBAN,...  accounts whose bank takes no part in the scheme (NOAP)
  --latency MS               delay before every answer
  --timeout-rate R           share (0..1) of requests never answered
  --noap-rate R              share (0..1) of requests answered NOAP for every account
  --error-503-rate R         share (0..1) of requests answered 503
  --fault-seed N             seed of the fault draws (default 1)`;

function share(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new Error(`--${flag} must be a share between 0 and 1, got "${v}"`);
  return n;
}

function whole(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 0) throw new Error(`--${flag} must be a whole number, got "${v}"`);
  return n;
}

/** The flags as sandbox options (pure but for reading --accounts). */
export function parseVopArgs(args: string[]): { help: true } | { help: false; options: VopSandboxOptions; source: string } {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string' }, host: { type: 'string' }, 'admin-port': { type: 'string' }, 'admin-host': { type: 'string' }, certs: { type: 'string' },
      invoices: { type: 'string' }, seed: { type: 'string' }, accounts: { type: 'string' }, 'not-participating': { type: 'string' },
      latency: { type: 'string' }, 'timeout-rate': { type: 'string' }, 'noap-rate': { type: 'string' }, 'error-503-rate': { type: 'string' },
      'fault-seed': { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help) return { help: true };
  let accounts: { iban: string; name: string }[];
  let source: string;
  if (values.accounts) {
    const file = resolve(values.accounts);
    accounts = JSON.parse(readFileSync(file, 'utf8')) as { iban: string; name: string }[];
    if (!Array.isArray(accounts) || accounts.some((a) => typeof a?.iban !== 'string' || typeof a?.name !== 'string')) throw new Error(`--accounts ${file}: a JSON list of {"iban": "...", "name": "..."} is required`);
    source = `${accounts.length} accounts from ${file}`;
  } else {
    const invoices = whole(values.invoices, 'invoices') ?? 50;
    const seed = whole(values.seed, 'seed') ?? 1;
    const info = seedStore(new OdooStore(17), { invoices, seed });
    accounts = info.payees;
    source = `the ${accounts.length} supplier accounts of the Odoo dev server seeded with --invoices ${invoices} --seed ${seed}` +
      info.payeeProblems.map((p) => `\n    ${p.kind === 'close_match' ? 'close match' : 'no match   '}  ${p.iban}: the bank holds '${p.heldName}'`).join('');
  }
  const faults: VopFaults = Object.fromEntries(
    Object.entries({
      latencyMs: whole(values.latency, 'latency'),
      timeoutRate: share(values['timeout-rate'], 'timeout-rate'),
      noapRate: share(values['noap-rate'], 'noap-rate'),
      error503Rate: share(values['error-503-rate'], 'error-503-rate'),
      seed: whole(values['fault-seed'], 'fault-seed'),
    }).filter(([, v]) => v !== undefined),
  );
  const options: VopSandboxOptions = {
    host: values.host,
    port: whole(values.port, 'port'),
    adminPort: whole(values['admin-port'], 'admin-port'),
    adminHost: values['admin-host'],
    certsDir: values.certs ? resolve(values.certs) : undefined,
    accounts,
    notParticipating: values['not-participating']?.split(',').map((s) => s.trim()).filter(Boolean),
    faults,
  };
  return { help: false, options: Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as VopSandboxOptions, source };
}

export async function runVopCli(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseVopArgs(args);
  } catch (err) {
    console.error(`stetpay sandbox vop: ${(err as Error).message}\n${VOP_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(VOP_USAGE);
    return 0;
  }
  let sandbox;
  try {
    sandbox = await startVopSandbox(parsed.options);
  } catch (err) {
    console.error(`stetpay sandbox vop: ${(err as Error).message}`);
    return 1;
  }
  const c = sandbox.certs;
  console.log(`stetpay Verification of Payee sandbox
  directory  ${parsed.source}
  faults     ${Object.entries(parsed.options.faults ?? {}).map(([k, v]) => `${k} ${String(v)}`).join(', ') || 'none'}
  vop.url    ${sandbox.url}
  admin API  ${sandbox.adminUrl}  (plain HTTP, no authentication: /admin/requests, /admin/faults, /admin/accounts)
  test certificates in ${c.dir}
    CA (vop.ca)                    ${c.caCertPath}
    client cert / key (vop.cert / vop.key)  ${c.qwacCertPath} / ${c.qwacKeyPath}
Press Ctrl+C to stop.`);
  await untilStopSignal();
  await sandbox.close();
  console.log('stetpay VoP sandbox stopped.');
  return 0;
}
