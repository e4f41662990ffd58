/** `stetpay install`: creates the x_stet_* fields, the payee checks model with its access rows (and the forms) in Odoo. Idempotent. */
import { installFields, isOdooError, OdooAccessError } from '../../connector/odoo/index.js';
import { configFor } from '../config/index.js';
import { openOdoo } from '../connect/open-odoo.js';

export interface InstallOptions {
  config?: string;
  json?: boolean;
}

export async function run(o: InstallOptions): Promise<number> {
  const config = configFor('install', o.config, ['odoo'] as const);
  const odoo = await openOdoo(config.odoo);
  try {
    const r = await installFields(odoo);
    if (o.json) console.log(JSON.stringify(r));
    else {
      console.log(`stetpay install: Odoo ${odoo.version} at ${config.odoo.url}, database ${config.odoo.database}.`);
      console.log(r.created.length ? `  created fields: ${r.created.join(', ')}` : '  all stetpay fields were already there: nothing changed.');
      if (r.options.length) console.log(`  added options: ${r.options.join(', ')}`);
      console.log(`  bill form page: ${r.view}`);
      const p = r.payeeChecks;
      console.log(`  payee checks (Verification of Payee): model x_stet_payee_check ${p.model}${p.created.length ? `, fields created: ${p.created.join(', ')}` : ''}`);
      if (p.access.created.length) console.log(`  payee checks, access rows created for: ${p.access.created.join(', ')} (the invoicing group reads, creates and writes; nobody deletes)`);
      console.log(`  payee check form: ${p.form}; bank account form, its checks: ${p.accountView}`);
    }
    return 0;
  } catch (err) {
    if (err instanceof OdooAccessError || (isOdooError(err) && (err as { faultCode?: number }).faultCode === 4)) {
      console.error(`stetpay install: ${(err as Error).message}`);
      return 1;
    }
    throw err;
  } finally {
    odoo.close();
  }
}
