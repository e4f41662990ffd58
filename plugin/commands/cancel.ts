/** `stetpay cancel BILL`: cancel a payment the bank has not executed yet (banks that allow it through the API). */
import { openBank } from '../app/open-bank.js';
import { openOdoo } from '../app/open-odoo.js';
import { cancelPayment } from '../cancel/index.js';
import { StetpayQueues } from '../../worker/index.js';
import { configFor } from '../app/command-support.js';

export async function run(o: { config?: string }, bill: string): Promise<number> {
  const config = configFor('cancel', o.config, ['odoo', 'bank'] as const);
  const { client: bank, profile } = openBank(config.bank);
  try {
    const odoo = await openOdoo(config.odoo);
    // With Redis configured, the ledger learns of the cancellation too (so a new attempt is allowed).
    const queues = config.redis ? await StetpayQueues.open({ connection: config.redis, prefix: config.redis.prefix }) : undefined;
    try {
      const result = await cancelPayment({ odoo, bank, profile, ledger: queues?.ledger }, bill);
      console.log(`stetpay cancel: ${result.message}`);
      return 0;
    } finally {
      await queues?.close();
      odoo.close();
    }
  } finally {
    bank.close();
  }
}
