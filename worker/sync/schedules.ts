import type { Queue } from 'bullmq';

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
