import type { Queue } from 'bullmq';

/** What a scheduled sync did: the sync's own summary, or nothing because payments were being sent. */
export type ScheduledSyncResult<S> = { deferred: false; summary: S } | { deferred: true; sending: number };

/**
 * The 15-minute sync gives way to payments being sent: its GETs share the
 * bank's rate limit with the submissions, and a 429 pauses every worker.
 * Payments waiting or in flight (a night's run) go first; the next sync comes
 * with the next tick. Retries waiting out a bank outage (delayed jobs) and a
 * queue an operator paused do not hold it back.
 */
export async function scheduledSync<S>(submitQueue: Pick<Queue, 'getJobCounts'>, sync: () => Promise<S>): Promise<ScheduledSyncResult<S>> {
  const c = await submitQueue.getJobCounts('waiting', 'active', 'prioritized');
  const sending = (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0);
  if (sending > 0) return { deferred: true, sending };
  return { deferred: false, summary: await sync() };
}
