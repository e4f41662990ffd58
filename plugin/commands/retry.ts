/** `stetpay retry BILL [--by NAME]`: send a rejected, invalid, withdrawn or cancelled bill again (the next run makes a new attempt). */
import { userInfo } from 'node:os';
import { StetpayQueues } from '../../worker/index.js';
import { openOdoo } from '../app/open-odoo.js';
import { configFor } from '../app/command-support.js';
import { parseCommandArgs, printError } from '../cli-args.js';
import { retryPayment } from '../retry/index.js';

export async function run(args: string[]): Promise<number> {
  try {
    const { positionals, values } = parseCommandArgs('retry', args, { by: { type: 'string' } }, { minPositionals: 1, maxPositionals: 1, positionalsUsage: 'BILL (the bill number, e.g. BILL/2026/11/0001, or its id)' });
    const config = configFor('retry', values.config, ['odoo', 'redis'] as const);
    const odoo = await openOdoo(config.odoo);
    try {
      const queues = await StetpayQueues.open({ connection: config.redis, prefix: config.redis.prefix });
      try {
        const result = await retryPayment({ odoo, ledger: queues.ledger, jobState: (pid) => queues.submit.getJobState(pid), by: values.by ?? userInfo().username }, positionals[0]!);
        console.log(`stetpay retry: ${result.message}`);
        return 0;
      } finally {
        await queues.close();
      }
    } finally {
      odoo.close();
    }
  } catch (err) {
    return printError('retry', err);
  }
}
