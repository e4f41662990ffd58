/** `stetpay status [--json] [--no-bank-check]`: the queues, the payments waiting for consent, what needs a person, the last run, the schedules, the bank. */
import { StetpayQueues } from '../../worker/index.js';
import { bankApiStatus } from '../connect/bank-status.js';
import { configFor } from '../config/index.js';
import { openOdoo } from '../connect/open-odoo.js';
import { collectStatus, formatStatus, needsAttention } from '../status/stetpay-status.js';

export interface StatusOptions {
  config?: string;
  json?: boolean;
  /** false with --no-bank-check. */
  bankCheck: boolean;
}

export async function run(o: StatusOptions): Promise<number> {
  const config = configFor('status', o.config, ['odoo', 'redis'] as const);
  const odoo = await openOdoo(config.odoo);
  try {
    const queues = await StetpayQueues.open({ connection: config.redis, prefix: config.redis.prefix });
    try {
      const bank = config.bank;
      const s = await collectStatus({ odoo, queues, bank: o.bankCheck && bank ? () => bankApiStatus(bank, { rate: { redis: queues.redis, prefix: queues.prefix } }) : undefined });
      console.log(o.json ? JSON.stringify(s) : formatStatus(s));
      return needsAttention(s) ? 1 : 0;
    } finally {
      await queues.close();
    }
  } finally {
    odoo.close();
  }
}
