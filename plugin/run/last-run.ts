/**
 * The last run's summary, kept in Redis for `stetpay status`: when it ran, how
 * long, what it found and recorded. Small (no bill list beyond counts), one key,
 * overwritten by each run that writes (a dry run records nothing).
 */
import type { RedisClient } from '../../worker/index.js';
import type { RunSummary } from './run-summary.js';

export interface LastRun {
  /** ISO time the run ended. */
  at: string;
  durationMs: number;
  bills: number;
  byStatus: Record<string, number>;
  notYetPayable: number;
  queuedCents: number;
  warnings: string[];
}

export function lastRunKey(prefix: string): string {
  return `${prefix}:stetpay:last-run`;
}

export async function recordLastRun(redis: RedisClient, prefix: string, s: RunSummary, at: Date): Promise<void> {
  const record: LastRun = { at: at.toISOString(), durationMs: s.durationMs, bills: s.bills, byStatus: s.byStatus, notYetPayable: s.notYetPayable, queuedCents: s.queuedCents, warnings: s.warnings };
  await redis.set(lastRunKey(prefix), JSON.stringify(record));
}

export async function readLastRun(redis: RedisClient, prefix: string): Promise<LastRun | null> {
  const text = await redis.get(lastRunKey(prefix));
  return text ? (JSON.parse(text) as LastRun) : null;
}
