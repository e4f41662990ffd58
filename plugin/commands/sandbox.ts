/**
 * `stetpay sandbox bank|certs|odoo|vop`: the bank sandbox, the Odoo dev server and
 * the Verification of Payee sandbox are products of their own (sandbox/), so these
 * only hand over to them. `sandbox up` (the bank and Odoo with a config for
 * stetpay) is ./sandbox-up.ts.
 */
import { runBankCli, runCertsCli } from '../../sandbox/bank/cli.js';
import { BankUsageError, bankOptionsFrom, type BankFlagValues } from '../../sandbox/bank/cli-args.js';
import { runOdooCli } from '../../sandbox/odoo/cli.js';
import type { OdooVersion } from '../../sandbox/odoo/index.js';
import { runVopCli } from '../../sandbox/vop/cli.js';
import { VopUsageError, vopOptionsFrom, type VopFlagValues } from '../../sandbox/vop/cli-args.js';
import { UsageError } from '../errors.js';

export function bank(o: BankFlagValues): Promise<number> {
  try {
    return runBankCli(bankOptionsFrom(o));
  } catch (err) {
    throw err instanceof BankUsageError ? new UsageError(`stetpay sandbox bank: ${err.message}`) : err;
  }
}

export function certs(o: { out: string; organisationId?: string }): Promise<number> {
  return runCertsCli(o);
}

export interface OdooOptions {
  port: number;
  version: '16' | '17' | '18';
  invoices: number;
  seed: number;
  data?: string;
  db?: string;
}

export function odoo(o: OdooOptions): Promise<number> {
  return runOdooCli({ ...o, version: Number(o.version) as OdooVersion });
}

export function vop(o: VopFlagValues): Promise<number> {
  let parsed;
  try {
    parsed = vopOptionsFrom(o);
  } catch (err) {
    throw err instanceof VopUsageError ? new UsageError(`stetpay sandbox vop: ${err.message}`) : err;
  }
  return runVopCli(parsed.options, parsed.directory);
}
