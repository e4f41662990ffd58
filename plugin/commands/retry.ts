/** `stetpay retry BILL [--by NAME]`: send a rejected, invalid, withdrawn or cancelled bill again (the next run makes a new attempt). */
import { userInfo } from 'node:os';
import { StetpayQueues } from '../../worker/index.js';
import { openOdoo } from '../connect/open-odoo.js';
import { configFor } from '../config/index.js';
import { retryPayment } from '../retry/index.js';

export async function run(o: { config?: string; by?: string }, bill: string): Promise<number> {
  const config = configFor('retry', o.config, ['odoo', 'redis'] as const);
  const odoo = await openOdoo(config.odoo);
  try {
    const queues = await StetpayQueues.open({ connection: config.redis, prefix: config.redis.prefix });
    try {
      const result = await retryPayment({ odoo, ledger: queues.ledger, jobState: (pid) => queues.jobState(pid), by: o.by ?? userInfo().username }, bill);
      console.log(`stetpay retry: ${result.message}`);
      return 0;
    } finally {
      await queues.close();
    }
  } finally {
    odoo.close();
  }
}
