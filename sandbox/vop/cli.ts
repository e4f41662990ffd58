/**
 * `stetpay sandbox vop`: the Verification of Payee sandbox. Its flags are
 * parsed by the stetpay command line (./cli-args.ts); this runs it. Its
 * directory is the Odoo dev server's seeded suppliers (same --invoices and
 * --seed as `stetpay sandbox odoo`), or a JSON file of {iban, name}.
 */
import { readFileSync } from 'node:fs';
import { OdooStore } from '../odoo/store.js';
import { seedStore } from '../odoo/seed.js';
import { untilStopSignal } from '../serve.js';
import type { VopDirectory } from './cli-args.js';
import { startVopSandbox, type VopSandboxOptions } from './index.js';

/** The directory's accounts, and a line saying where they come from (the seeded close match and mismatch named). */
export function readVopDirectory(directory: VopDirectory): { accounts: { iban: string; name: string }[]; source: string } {
  if ('file' in directory) {
    const accounts = JSON.parse(readFileSync(directory.file, 'utf8')) as { iban: string; name: string }[];
    if (!Array.isArray(accounts) || accounts.some((a) => typeof a?.iban !== 'string' || typeof a?.name !== 'string')) throw new Error(`--accounts ${directory.file}: a JSON list of {"iban": "...", "name": "..."} is required`);
    return { accounts, source: `${accounts.length} accounts from ${directory.file}` };
  }
  const { invoices, seed } = directory.seeded;
  const info = seedStore(new OdooStore(17), { invoices, seed });
  const source =
    `the ${info.payees.length} supplier accounts of the Odoo dev server seeded with --invoices ${invoices} --seed ${seed}` +
    info.payeeProblems.map((p) => `\n    ${p.kind === 'close_match' ? 'close match' : 'no match   '}  ${p.iban}: the bank holds '${p.heldName}'`).join('');
  return { accounts: info.payees, source };
}

export async function runVopCli(o: VopSandboxOptions, directory: VopDirectory): Promise<number> {
  let sandbox;
  let source: string;
  try {
    const dir = readVopDirectory(directory);
    source = dir.source;
    sandbox = await startVopSandbox({ ...o, accounts: dir.accounts });
  } catch (err) {
    console.error(`stetpay sandbox vop: ${(err as Error).message}`);
    return 1;
  }
  const c = sandbox.certs;
  console.log(`stetpay Verification of Payee sandbox
  directory  ${source}
  faults     ${Object.entries(o.faults ?? {}).map(([k, v]) => `${k} ${String(v)}`).join(', ') || 'none'}
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
