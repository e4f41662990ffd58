import { Worker, type Job } from 'bullmq';
import { workerConnection } from './connection.js';
import { QUEUE_NAMES, queuePrefix, type StetpayQueueOptions } from './queue-names.js';

/**
 * A worker for the `stetpay-sync` or `stetpay-run` queue (jobs made by the
 * schedulers or `stetpay sync`): one job at a time, the handler does the work
 * (e.g. `syncStatuses` then `sweepQueuedBills`; the plugin's run).
 */
export function createScheduledWorker(
  role: 'sync' | 'run',
  opts: StetpayQueueOptions & { lockDurationMs?: number },
  handler: (job: Job) => Promise<unknown>,
): { worker: Worker; close(): Promise<void> } {
  const prefix = queuePrefix(opts);
  const { redis, owns } = workerConnection(opts.connection);
  const worker = new Worker(QUEUE_NAMES[role], (job) => handler(job), {
    connection: redis,
    prefix,
    concurrency: 1,
    lockDuration: opts.lockDurationMs ?? 300_000,
  });
  return {
    worker,
    async close() {
      await worker.close();
      if (owns) await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
