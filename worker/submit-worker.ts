import { Queue, Worker } from 'bullmq';
import { workerConnection, type RedisClient } from './connection.js';
import { DEFAULT_REMOVE_ON_COMPLETE, DEFAULT_REMOVE_ON_FAIL } from './enqueue-payments.js';
import type { BankPort } from './interfaces/bank-port.js';
import type { OdooPort } from './interfaces/odoo-port.js';
import { ReservationGate, type ReservationGateOptions } from './gate/reservation-gate.js';
import { parsePaymentId } from '../connector/rules/index.js';
import { PaymentLedger } from './ledger/payment-ledger.js';
import { createSubmitProcessor, type SubmitProcessorDeps } from './processors/submit-payment.js';
import { QUEUE_NAMES, queuePrefix, type StetpayQueueOptions } from './queue-names.js';
import { SUBMIT_QUEUE_STREAMS } from './stetpay-queues.js';
import { createSubmitBackoff, type SubmitBackoffOptions } from './submit-backoff.js';
import { submitLimiter } from './submit-limiter.js';
import type { SubmitJobData, SubmitOutcome } from './submit-job.js';
import { WritebackQueue } from './writeback/writeback-queue.js';

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

/** A running submit worker and what it owns; `close()` finishes in-flight jobs first. */
export interface SubmitWorkerHandle {
  worker: Worker<SubmitJobData, SubmitOutcome>;
  queue: Queue<SubmitJobData, SubmitOutcome>;
  ledger: PaymentLedger;
  writeback: WritebackQueue;
  redis: RedisClient;
  /** The check of each bill in Odoo before its POST (absent without an Odoo port). */
  gate?: ReservationGate;
  close(): Promise<void>;
}

export const DEFAULT_LOCK_DURATION_MS = 120_000;

/** Never reached: job starts are not capped, a 429 can still pause the queue. */
const PAUSE_ONLY_LIMITER = { max: 1_000_000_000, duration: 1000 };

/**
 * The submit worker: pause on the bank's 429 (`limiter`), long lock, abort of the
 * bank call when the lock is lost, custom back-off. Its Redis connection
 * waits through Redis restarts (maxRetriesPerRequest: null), so an answer of
 * the bank is recorded once Redis is back.
 */
export function createSubmitWorker(
  opts: SubmitWorkerOptions,
  deps: { bank: BankPort; prepareRequest?: SubmitProcessorDeps['prepareRequest']; odoo?: Pick<OdooPort, 'readReservedBills'>; gate?: Omit<ReservationGateOptions, 'upcoming'>; odooRetryMs?: number; consent?: SubmitProcessorDeps['consent'] },
): SubmitWorkerHandle {
  const prefix = queuePrefix(opts);
  const { redis, owns } = workerConnection(opts.connection);
  const lockDuration = opts.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS;
  const ledger = new PaymentLedger(redis, { prefix, claimTtlMs: opts.claimTtlMs ?? lockDuration });
  const writeback = new WritebackQueue(redis, { prefix });
  const queue = new Queue<SubmitJobData, SubmitOutcome>(QUEUE_NAMES.submit, { connection: redis, prefix, streams: SUBMIT_QUEUE_STREAMS });
  // The gate reads the bills of the jobs in hand and next waiting along with the first (their ids name the bill).
  const upcoming = async (count: number) =>
    (await queue.getRanges(['active', 'waiting', 'prioritized'], 0, count - 1, true)).map((id) => parsePaymentId(id)?.billId).filter((b): b is number => b !== undefined);
  const gate = deps.odoo ? new ReservationGate(deps.odoo, { upcoming, ...deps.gate }) : undefined;
  const processor = createSubmitProcessor({
    bank: deps.bank,
    prepareRequest: deps.prepareRequest,
    gate,
    odooRetryMs: deps.odooRetryMs,
    consent: deps.consent,
    ledger,
    writeback,
    rateLimit: (ms) => queue.rateLimit(ms),
    defaultRateLimitMs: opts.defaultRateLimitMs,
    log: opts.log,
  });
  const worker = new Worker<SubmitJobData, SubmitOutcome>(QUEUE_NAMES.submit, processor, {
    connection: redis,
    prefix,
    autorun: opts.autorun ?? true,
    concurrency: opts.concurrency ?? 4,
    // Without a cap of its own the bank client's shared limiter (BANK-RATE) paces the requests; a limiter
    // that is never reached stays so that a 429's `queue.rateLimit` still pauses every worker (BullMQ only
    // honours that pause when a limiter is set).
    limiter: opts.requestsPerSecond ? submitLimiter(opts.requestsPerSecond) : PAUSE_ONLY_LIMITER,
    lockDuration,
    // Finished jobs are bounded by age and count here, once, rather than in every job's stored options.
    removeOnComplete: DEFAULT_REMOVE_ON_COMPLETE,
    removeOnFail: DEFAULT_REMOVE_ON_FAIL,
    stalledInterval: opts.stalledIntervalMs ?? 30_000,
    maxStalledCount: opts.maxStalledCount ?? 2,
    settings: { backoffStrategy: createSubmitBackoff(opts.backoff) },
  });
  // Lost lock: another worker may take the job; abort our bank call so two never run at once.
  worker.on('lockRenewalFailed', (jobIds: string[]) => {
    for (const id of jobIds) worker.cancelJob(id, 'job lock lost');
    opts.log?.('submit.lock_lost', { jobIds });
  });
  worker.on('error', (err) => opts.log?.('submit.worker_error', { error: err.message }));
  let closed = false;
  return {
    worker,
    queue,
    ledger,
    writeback,
    redis,
    gate,
    async close() {
      if (closed) return;
      closed = true;
      await worker.close();
      await queue.close();
      if (owns) await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
