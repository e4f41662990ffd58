/**
 * `stetpay worker`: the queue workers and the consent callback server, until
 * SIGTERM/SIGINT; then in-flight payments finish, no new one starts, and the
 * process exits. Run as many as you like on one Redis (on one host: one
 * callback server, or one port each). A start-up failure (Odoo, Redis, the
 * bank's certificates, the callback port) stops everything started and exits 1
 * with one line, so a supervisor (systemd `Restart=always`) starts it again.
 */
import { installShutdown } from '../../worker/index.js';
import { configFor } from '../config/index.js';
import { createLogger } from '../runtime/logger.js';
import { favourSmallHeap } from '../runtime/small-heap.js';
import { startWorkerRuntime } from '../runtime/worker-runtime.js';

export interface WorkerOptions {
  config?: string;
  concurrency?: number;
  callbackPort?: number;
  /** false with --no-callback. */
  callback: boolean;
}

export async function run(o: WorkerOptions): Promise<number> {
  const overrides = o.callbackPort === undefined ? undefined : { callback: { listenPort: o.callbackPort } };
  favourSmallHeap(); // its nightly run goes through every bill: under 200 MB at 100k bills (P4)
  const config = configFor('worker', o.config, ['odoo', 'redis', 'bank', 'callback'] as const, overrides);
  const logger = createLogger();
  const runtime = await startWorkerRuntime(config, { logger, callbackServer: o.callback, concurrency: o.concurrency });
  logger.info({ event: 'worker.started', pid: process.pid, callback: runtime.callback?.url, prefix: config.redis.prefix, redisCluster: config.redis.cluster }, 'stetpay worker started');
  console.error(`stetpay worker: running (pid ${process.pid})${runtime.callback ? `, consent callback on ${runtime.callback.url}` : ', no consent callback here'}. Stop with Ctrl-C or SIGTERM.`);
  return await new Promise<number>((resolve) => {
    installShutdown([{ close: () => runtime.close() }], { log: (m) => logger.info({ event: 'shutdown' }, m), exit: resolve });
  });
}
