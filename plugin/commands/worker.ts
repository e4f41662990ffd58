/**
 * `stetpay worker`: the queue workers and the consent callback server, until
 * SIGTERM/SIGINT; then in-flight payments finish, no new one starts, and the
 * process exits. Run as many as you like on one Redis.
 */
import { installShutdown } from '../../worker/index.js';
import { parseCommandArgs, printError } from '../cli-args.js';
import { configFor } from '../app/command-support.js';
import { createLogger } from '../app/logger.js';
import { startWorkerRuntime } from '../app/worker-runtime.js';

export async function run(args: string[]): Promise<number> {
  try {
    const { values } = parseCommandArgs('worker', args, {
      'no-callback': { type: 'boolean', default: false },
      concurrency: { type: 'string' },
    });
    const config = configFor('worker', values.config, ['odoo', 'redis', 'bank', 'callback'] as const);
    const logger = createLogger();
    const runtime = await startWorkerRuntime(config, {
      logger,
      callbackServer: !values['no-callback'],
      concurrency: values.concurrency ? Number(values.concurrency) : undefined,
    });
    logger.info({ event: 'worker.started', pid: process.pid, callback: runtime.callback?.url, prefix: config.redis.prefix, redisCluster: config.redis.cluster }, 'stetpay worker started');
    console.error(`stetpay worker: running (pid ${process.pid})${runtime.callback ? `, consent callback on ${runtime.callback.url}` : ''}. Stop with Ctrl-C or SIGTERM.`);
    return await new Promise<number>((resolve) => {
      installShutdown([{ close: () => runtime.close() }], { log: (m) => logger.info({ event: 'shutdown' }, m), exit: resolve });
    });
  } catch (err) {
    return printError('worker', err);
  }
}
