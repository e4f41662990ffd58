/** `stetpay resolve BILL --not-at-bank`: a person confirms the bank does not have a payment stetpay could not follow. */
import { userInfo } from 'node:os';
import { bankStatusCode } from '../../connector/mapping/index.js';
import { StetpayQueues } from '../../worker/index.js';
import { openBank } from '../connect/open-bank.js';
import { openOdoo } from '../connect/open-odoo.js';
import { configFor } from '../config/index.js';
import { UsageError } from '../errors.js';
import { resolveNotAtBank } from '../resolve/index.js';

export interface ResolveOptions {
  config?: string;
  notAtBank?: boolean;
  by?: string;
}

export async function run(o: ResolveOptions, bill: string): Promise<number> {
  // The one decision this command records must be said out loud: no default.
  if (!o.notAtBank) throw new UsageError('stetpay resolve: say what you found in online banking: --not-at-bank (no payment with this end-to-end id exists there)');
  const config = configFor('resolve', o.config, ['odoo', 'redis', 'bank'] as const);
  const odoo = await openOdoo(config.odoo);
  const queues = await StetpayQueues.open({ connection: config.redis, prefix: config.redis.prefix });
  const { client: bank } = openBank(config.bank, { redis: queues.redis, prefix: queues.prefix });
  try {
    const result = await resolveNotAtBank(
      {
        odoo,
        ledger: queues.ledger,
        jobState: (pid) => queues.jobState(pid),
        bankStatus: async (resourceId) => {
          const p = (await bank.paymentRequests.retrieve(resourceId)).body.paymentRequest;
          return bankStatusCode(p.paymentInformationStatus, p.creditTransferTransaction?.[0]?.transactionStatus) ?? '';
        },
        by: o.by ?? userInfo().username,
      },
      bill,
    );
    console.log(`stetpay resolve: ${result.message}`);
    return 0;
  } finally {
    await queues.close();
    bank.close();
    odoo.close();
  }
}
