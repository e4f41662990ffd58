/** `stetpay install`: creates the x_stet_* fields, the payee checks, approvals and account confirmations models with their access rows, record rules and server actions (and the forms) in Odoo. Idempotent. */
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
    const r = await installFields(odoo, { approversGroup: config.approvals.approversGroup });
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
      const a = r.approvals;
      console.log(`  approvals: ${Object.entries(a.models).map(([m, o]) => `model ${m} ${o}`).join(', ')}${a.created.length ? `, fields created: ${a.created.join(', ')}` : ''}`);
      if (a.access.created.length) console.log(`  approvals, access rows created: ${a.access.created.join(', ')} (the invoicing group reads and creates; nobody changes or deletes)`);
      if (a.rules.created.length) console.log(`  record rules created (a record is created in its creator's name): ${a.rules.created.join(', ')}`);
      console.log(`  server actions: ${Object.entries(a.actions).map(([n, o]) => `${n} ${o}`).join(', ')}`);
      const m = r.menu;
      console.log(`  Accounting > Bank payments: menu ${m.menu}, list ${m.listView}, action ${m.action}${m.filters.created.length ? `, filters created: ${m.filters.created.join(', ')}` : ', filters already there'}`);
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
