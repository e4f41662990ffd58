/** `stetpay sync [--wait]`: check every unfinished payment at the bank now (or queue a check for the workers). */
import { QUEUE_NAMES, StetpayQueues, SYNC_JOB_NAME } from '../../worker/index.js';
import { configFor } from '../config/index.js';
import { createLogger } from '../runtime/logger.js';
import { favourSmallHeap } from '../runtime/small-heap.js';
import { startWorkerRuntime } from '../runtime/worker-runtime.js';

export interface SyncOptions {
  config?: string;
  wait?: boolean;
  json?: boolean;
}

export async function run(o: SyncOptions): Promise<number> {
  if (!o.wait) {
    // Hand the check to the running workers.
    const config = configFor('sync', o.config, ['redis'] as const);
    const queues = await StetpayQueues.open({ connection: config.redis, prefix: config.redis.prefix });
    try {
      const job = await queues.sync.add(SYNC_JOB_NAME, {}, { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } });
      console.log(`stetpay sync: status check queued (job ${job.id} on ${QUEUE_NAMES.sync}); a running \`stetpay worker\` does it. Use --wait to do it here and now.`);
    } finally {
      await queues.close();
    }
    return 0;
  }
  favourSmallHeap(); // the sync and its sweep go through every unfinished bill (P4)
  const config = configFor('sync', o.config, ['odoo', 'redis', 'bank', 'callback'] as const);
  const runtime = await startWorkerRuntime(config, { logger: createLogger({ level: 'warn' }), callbackServer: false, workers: false });
  try {
    const s = await runtime.syncNow();
    if (o.json) console.log(JSON.stringify(s));
    else {
      console.log(`stetpay sync: ${s.checked} payment(s) checked, ${s.changed} changed, ${s.registered} registered as paid in Odoo, ${s.expired} expired.`);
      for (const e of s.errors) console.log(`  - bill ${e.billId}: ${e.error}`);
    }
    return s.errors.length ? 1 : 0;
  } finally {
    await runtime.close();
  }
}
