/**
 * `stetpay schedule [--cron EXPR] [--tz ZONE] [--sync-every MIN]`: upserts the
 * nightly run and the status sync in Redis. A deploy step, run once: running
 * it again replaces the schedules (keeping their job options), never doubles them.
 * `--list` shows what Redis holds, `--remove ID` removes one.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import {
  InvalidScheduleError,
  listSchedules,
  nextRunTimes,
  removeSchedule,
  StetpayQueues,
  upsertNightlyRun,
  upsertSyncSchedule,
  type StoredSchedule,
} from '../../worker/index.js';
import { configFor } from '../config/index.js';
import { CommandFailure, UsageError } from '../errors.js';

export interface ScheduleOptions {
  config?: string;
  cron?: string;
  tz?: string;
  syncEvery?: number;
  list?: boolean;
  remove?: string;
}

/** A time as the operator reads it in the schedule's zone: `Thu 2026-12-03 02:30 +01:00`. */
function inZone(date: Date, tz: string): string {
  return format(new TZDate(date, tz), 'EEE yyyy-MM-dd HH:mm xxx');
}

function describe(s: StoredSchedule): string {
  return s.pattern ? `cron '${s.pattern}' (${s.tz ?? 'server time'})` : s.everyMs ? `every ${s.everyMs / 60_000} min` : 'no timing';
}

export async function run(o: ScheduleOptions): Promise<number> {
  const config = configFor('schedule', o.config, ['redis'] as const);
  const pattern = o.cron ?? config.schedule.cron;
  const tz = o.tz ?? config.schedule.tz;
  const everyMinutes = o.syncEvery ?? config.sync.everyMinutes;
  let next: Date[] = [];
  if (!o.list && o.remove === undefined) {
    try {
      next = nextRunTimes({ pattern, tz });
    } catch (err) {
      if (!(err instanceof InvalidScheduleError)) throw err;
      // Name where the value came from: the option, or the config key.
      const source = err.field === 'cron' ? (o.cron !== undefined ? '--cron' : 'schedule.cron in the config,') : o.tz !== undefined ? '--tz' : 'schedule.tz in the config,';
      const help =
        err.field === 'cron'
          ? "give 6 fields (second minute hour day-of-month month day-of-week) or 5 (no seconds), e.g. --cron '0 30 2 * * *' for 02:30 every day, or '0 0 22 * * 1-5' for 22:00 on weekdays"
          : 'give an IANA zone name, e.g. --tz Europe/Paris';
      throw new UsageError(`stetpay schedule: ${source} ${err.message}: ${help}`);
    }
  }
  const queues = await StetpayQueues.open({ connection: config.redis, prefix: config.redis.prefix });
  try {
    const where = `in Redis (prefix ${queues.prefix})`;
    if (o.list) {
      const all = await listSchedules(queues);
      if (all.length === 0) {
        console.log(`stetpay schedule: no schedule ${where}: the workers start nothing on their own. \`stetpay schedule\` stores the nightly run and the status sync.`);
        return 0;
      }
      console.log(`stetpay schedule: ${all.length} schedule(s) ${where}:`);
      const idWidth = Math.max(...all.map((s) => s.id.length));
      for (const s of all) {
        const when = s.next ? `next ${inZone(s.next, s.tz ?? tz)}` : 'no next run';
        console.log(`  ${s.id.padEnd(idWidth)}  ${describe(s).padEnd(34)}  ${when}  (${s.job} on ${s.queue})`);
      }
      console.log('Remove one with `stetpay schedule --remove ID`.');
      return 0;
    }
    if (o.remove !== undefined) {
      const removed = await removeSchedule(queues, o.remove);
      if (!removed) throw new CommandFailure(`no schedule '${o.remove}' ${where}: \`stetpay schedule --list\` shows their ids`);
      console.log(`stetpay schedule: removed ${removed.id} (${describe(removed)}, ${removed.job} on ${removed.queue}). \`stetpay schedule\` stores it again.`);
      return 0;
    }
    await upsertNightlyRun(queues.run, { pattern, tz });
    await upsertSyncSchedule(queues.sync, everyMinutes * 60_000);
    console.log(`stetpay schedule: nightly run '${pattern}' (${tz}); status sync every ${everyMinutes} min. Workers started with \`stetpay worker\` carry them out.`);
    console.log(`  next nightly runs: ${next.map((d) => inZone(d, tz)).join(', ')}`);
    return 0;
  } finally {
    await queues.close();
  }
}
