import type { SubmitBackoffOptions } from '../submit-backoff.js';
import type { StetpayQueueOptions } from './stetpay-queue-options.js';

/** Options of `createSubmitWorker`. */
export interface SubmitWorkerOptions extends StetpayQueueOptions {
  /** Bank POSTs in flight per process. @defaultValue 4 */
  concurrency?: number;
  /**
   * Job starts per second for ALL workers of the queue (BullMQ's windowed
   * `limiter`, at most about 96% of it). For a bank client without the shared
   * limiter (tests); `stetpay worker` leaves it unset, its bank client waits
   * for BANK-RATE before every request. A 429 pauses every worker either way.
   * @defaultValue no cap
   */
  requestsPerSecond?: number;
  /**
   * Ms a job's lock lives (renewed every half). Well above the worst bank call
   * (30 s response time-out plus a token fetch), so a slow call never lets a
   * second worker take the job. @defaultValue 120000
   */
  lockDurationMs?: number;
  /** Ms between stalled-job checks. @defaultValue 30000 */
  stalledIntervalMs?: number;
  /** Stalls (worker died mid-job) before a job fails; the sweeper then picks the bill up. @defaultValue 2 */
  maxStalledCount?: number;
  /** Ms a ledger claim stays live. @defaultValue lockDurationMs */
  claimTtlMs?: number;
  /** Back-off of transient failures (exponential + jitter, capped). */
  backoff?: SubmitBackoffOptions;
  /** Ms to wait on a 429 without Retry-After. @defaultValue 1000 */
  defaultRateLimitMs?: number;
  /** Start pulling jobs at once. @defaultValue true */
  autorun?: boolean;
  /** Told of each decision. No secret is passed. */
  log?: (event: string, fields: Record<string, unknown>) => void;
}

/** Job options set on every payment at enqueue. */
export interface SubmitJobOptions {
  /** Tries for transient failures (429 and claim waits spend none). @defaultValue 8 */
  attempts?: number;
  /** Completed jobs kept, overriding the submit worker's retention for these jobs (stored with each job). @defaultValue the worker's: 7 days, at most 10,000 */
  removeOnComplete?: number | { age: number; count: number };
  /** Failed jobs kept, overriding the submit worker's retention (stored with each job). @defaultValue the worker's: 30 days, at most 50,000 */
  removeOnFail?: number | { age: number; count: number };
}
