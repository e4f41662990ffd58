import type { Queue } from 'bullmq';
import { CronExpressionParser } from 'cron-parser';

export const SYNC_SCHEDULER_ID = 'stetpay-status-sync';
export const NIGHTLY_SCHEDULER_ID = 'stetpay-nightly-run';
export const SYNC_JOB_NAME = 'sync-statuses';
export const RUN_JOB_NAME = 'run-batch';

/** Job options kept on every scheduled job (an upsert replaces the whole template, so they are always given). */
const SCHEDULED_JOB_OPTS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 60_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 1000 },
};

/**
 * The status sync every `everyMs` (default 15 min). Upsert from one deploy
 * step (`stetpay schedule`), not at every worker start; re-running replaces
 * it and keeps the options.
 */
export async function upsertSyncSchedule(queue: Queue, everyMs = 15 * 60_000): Promise<void> {
  await queue.upsertJobScheduler(SYNC_SCHEDULER_ID, { every: everyMs }, { name: SYNC_JOB_NAME, data: {}, opts: SCHEDULED_JOB_OPTS });
}

/** Options of {@link upsertNightlyRun}. */
export interface NightlyRunSchedule {
  /** Cron, 5 or 6 fields (with seconds). @defaultValue '0 30 2 * * *' */
  pattern?: string;
  /** IANA time zone. @defaultValue 'Europe/Paris' */
  tz?: string;
}

/** The nightly run; its job takes the run date from its slot. */
export async function upsertNightlyRun(queue: Queue, schedule: NightlyRunSchedule = {}): Promise<void> {
  await queue.upsertJobScheduler(
    NIGHTLY_SCHEDULER_ID,
    { pattern: schedule.pattern ?? '0 30 2 * * *', tz: schedule.tz ?? 'Europe/Paris' },
    { name: RUN_JOB_NAME, data: {}, opts: SCHEDULED_JOB_OPTS },
  );
}

/** A cron pattern or time zone the scheduler would refuse or misread; `field` says which, `detail` the parser's reason when it helps. */
export class InvalidScheduleError extends Error {
  constructor(
    readonly field: 'cron' | 'tz',
    readonly value: string,
    readonly detail?: string,
  ) {
    super(field === 'cron' ? `'${value}' is not a cron expression${detail ? ` (${detail})` : ''}` : `'${value}' is not an IANA time zone`);
    this.name = 'InvalidScheduleError';
  }
}

/**
 * The next `count` times the nightly run starts, after `from`: parsed as BullMQ's
 * job scheduler parses it (cron-parser, the same version), with 5 or 6 fields as
 * the config allows. Throws InvalidScheduleError for a bad pattern or zone.
 */
export function nextRunTimes(schedule: Required<NightlyRunSchedule>, from: Date = new Date(), count = 3): Date[] {
  try {
    new Intl.DateTimeFormat('en', { timeZone: schedule.tz });
  } catch {
    throw new InvalidScheduleError('tz', schedule.tz);
  }
  const fields = schedule.pattern.trim().split(/\s+/).length;
  if (fields < 5 || fields > 6) throw new InvalidScheduleError('cron', schedule.pattern, `${fields} field${fields === 1 ? '' : 's'}; 5 or 6 wanted`);
  let interval;
  try {
    interval = CronExpressionParser.parse(schedule.pattern, { tz: schedule.tz, currentDate: from });
  } catch (err) {
    // "Constraint error, got value 25 expected range 0-23" helps; "cannot resolve alias" (a word where a number goes) does not.
    const detail = (err as Error).message.replace(/^(Validation|Constraint) error, /, '');
    throw new InvalidScheduleError('cron', schedule.pattern, /alias/.test(detail) ? undefined : detail);
  }
  return Array.from({ length: count }, () => interval.next().toDate());
}

/** A schedule as stored in Redis (BullMQ job scheduler). */
export interface StoredSchedule {
  id: string;
  /** The queue whose workers carry it out. */
  queue: string;
  /** The job it adds. */
  job: string;
  pattern?: string;
  tz?: string;
  everyMs?: number;
  /** When it adds its next job. */
  next?: Date;
}

/** The queues stetpay schedules jobs on. */
export interface ScheduledQueues {
  run: Queue;
  sync: Queue;
}

/** Every schedule stored on stetpay's scheduled queues (the nightly run, the status sync, and any other found there). */
export async function listSchedules(queues: ScheduledQueues): Promise<StoredSchedule[]> {
  const all: StoredSchedule[] = [];
  for (const queue of [queues.run, queues.sync]) {
    for (const s of await queue.getJobSchedulers(0, -1, true)) {
      all.push({
        id: s.id ?? s.key,
        queue: queue.name,
        job: s.name,
        ...(s.pattern ? { pattern: s.pattern } : {}),
        ...(s.tz ? { tz: s.tz } : {}),
        ...(s.every ? { everyMs: s.every } : {}),
        ...(s.next ? { next: new Date(s.next) } : {}),
      });
    }
  }
  return all;
}

/** Removes one schedule (and its next job); the removed one, or undefined when no queue has it. */
export async function removeSchedule(queues: ScheduledQueues, id: string): Promise<StoredSchedule | undefined> {
  const found = (await listSchedules(queues)).find((s) => s.id === id);
  if (!found) return undefined;
  const queue = found.queue === queues.run.name ? queues.run : queues.sync;
  return (await queue.removeJobScheduler(id)) ? found : undefined;
}
