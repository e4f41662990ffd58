/** `stetpay cancel BILL [--by NAME]`: stop a queued payment, or cancel one the bank has not executed yet (banks that allow it through the API). */
import { userInfo } from 'node:os';
import { openBank } from '../app/open-bank.js';
import { openOdoo } from '../app/open-odoo.js';
import { cancelPayment } from '../cancel/index.js';
import { StetpayQueues } from '../../worker/index.js';
import { parseCommandArgs, printError } from '../cli-args.js';
import { loadConfig, requireSections } from '../config/index.js';

export async function run(args: string[]): Promise<number> {
  try {
    const { positionals, values } = parseCommandArgs('cancel', args, { by: { type: 'string' } }, { minPositionals: 1, maxPositionals: 1, positionalsUsage: 'BILL (the bill number, e.g. BILL/2026/11/0001, or its id)' });
    const config = requireSections(loadConfig({ file: values.config }), ['odoo', 'bank'], 'stetpay cancel');
    const { client: bank, profile } = openBank(config.bank);
    try {
      const odoo = await openOdoo(config.odoo);
      // With Redis configured, the ledger learns of the cancellation too (so a new attempt is allowed), and a queued payment can be stopped.
      const queues = config.redis ? await StetpayQueues.open({ connection: config.redis, prefix: config.redis.prefix }) : undefined;
      try {
        const result = await cancelPayment({ odoo, bank, profile, ledger: queues?.ledger, queue: queues?.submit, by: values.by ?? userInfo().username }, positionals[0]!);
        console.log(`stetpay cancel: ${result.message}`);
        return 0;
      } finally {
        await queues?.close();
        odoo.close();
      }
    } finally {
      bank.close();
    }
  } catch (err) {
    return printError('cancel', err);
  }
}
