/** `stetpay cancel BILL [--by NAME]`: stop a queued payment, or cancel one the bank has not executed yet (banks that allow it through the API). */
import { userInfo } from 'node:os';
import { openBank } from '../connect/open-bank.js';
import { openOdoo } from '../connect/open-odoo.js';
import { cancelPayment } from '../cancel/index.js';
import { StetpayQueues } from '../../worker/index.js';
import { configFor } from '../config/index.js';

export async function run(o: { config?: string; by?: string }, bill: string): Promise<number> {
  const config = configFor('cancel', o.config, ['odoo', 'bank'] as const);
  // With Redis configured, the ledger learns of the cancellation too (so a new attempt is allowed), a queued payment
  // can be stopped, and the bank calls wait for the workers' shared rate limit.
  const queues = config.redis ? await StetpayQueues.open({ connection: config.redis, prefix: config.redis.prefix }) : undefined;
  const { client: bank, profile } = openBank(config.bank, queues && { redis: queues.redis, prefix: queues.prefix });
  try {
    const odoo = await openOdoo(config.odoo);
    try {
      const result = await cancelPayment({ odoo, bank, profile, ledger: queues?.ledger, queue: queues ? { remove: (pid: string) => queues.removeJob(pid) } : undefined, by: o.by ?? userInfo().username }, bill);
      console.log(`stetpay cancel: ${result.message}`);
      return 0;
    } finally {
      odoo.close();
    }
  } finally {
    bank.close();
    await queues?.close();
  }
}
