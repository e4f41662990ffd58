/**
 * `stetpay schedule [--cron EXPR] [--tz ZONE] [--sync-every MIN]`: upserts the
 * nightly run and the status sync in Redis. A deploy step, run once: running
 * it again replaces the schedules (keeping their job options), never doubles them.
 */
import { StetpayQueues, upsertNightlyRun, upsertSyncSchedule } from '../../worker/index.js';
import { parseCommandArgs, printError, UsageError } from '../cli-args.js';
import { configFor } from '../app/command-support.js';

export async function run(args: string[]): Promise<number> {
  try {
    const { values } = parseCommandArgs('schedule', args, { cron: { type: 'string' }, tz: { type: 'string' }, 'sync-every': { type: 'string' } });
    const config = configFor('schedule', values.config, ['redis'] as const);
    const pattern = values.cron ?? config.schedule.cron;
    const tz = values.tz ?? config.schedule.tz;
    const everyMinutes = values['sync-every'] ? Number(values['sync-every']) : config.sync.everyMinutes;
    if (!Number.isFinite(everyMinutes) || everyMinutes <= 0) throw new UsageError(`stetpay schedule: --sync-every must be a number of minutes above 0 (got '${values['sync-every']}')`);
    const queues = await StetpayQueues.open({ connection: config.redis, prefix: config.redis.prefix });
    try {
      await upsertNightlyRun(queues.run, { pattern, tz });
      await upsertSyncSchedule(queues.sync, everyMinutes * 60_000);
      console.log(`stetpay schedule: nightly run '${pattern}' (${tz}); status sync every ${everyMinutes} min. Workers started with \`stetpay worker\` carry them out.`);
      return 0;
    } finally {
      await queues.close();
    }
  } catch (err) {
    return printError('schedule', err);
  }
}
