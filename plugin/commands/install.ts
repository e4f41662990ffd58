/** `stetpay install`: creates the x_stet_* fields (and the bill's "Bank payment" page) in Odoo. Idempotent. */
import { installFields, isOdooError, OdooAccessError } from '../../connector/odoo/index.js';
import { parseCommandArgs, printError } from '../cli-args.js';
import { configFor } from '../app/command-support.js';
import { openOdoo } from '../app/open-odoo.js';

export async function run(args: string[]): Promise<number> {
  try {
    const { values } = parseCommandArgs('install', args, { json: { type: 'boolean', default: false } });
    const config = configFor('install', values.config, ['odoo'] as const);
    const odoo = await openOdoo(config.odoo);
    try {
      const r = await installFields(odoo);
      if (values.json) console.log(JSON.stringify(r));
      else {
        console.log(`stetpay install: Odoo ${odoo.version} at ${config.odoo.url}, database ${config.odoo.database}.`);
        console.log(r.created.length ? `  created fields: ${r.created.join(', ')}` : '  all stetpay fields were already there: nothing changed.');
        console.log(`  bill form page: ${r.view}`);
        if (r.payeeFields.created.length) console.log(`  created payee check fields on bank accounts: ${r.payeeFields.created.join(', ')}`);
        if (r.optionsAdded.length) console.log(`  added options: ${r.optionsAdded.join(', ')}`);
        console.log(`  bank account form, payee check: ${r.accountView}`);
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
  } catch (err) {
    return printError('install', err);
  }
}
