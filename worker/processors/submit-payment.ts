import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { PaymentRequestResource } from '../../connector/model/index.js';
import type { BankPort } from '../interfaces/bank-port.js';
import type { PaymentLedger } from '../ledger/payment-ledger.js';
import type { WritebackQueue } from '../writeback/writeback-queue.js';
import type { SubmitJobData, SubmitOutcome } from '../submit-job.js';
import { BankCredentialsError } from '../errors.js';
import type { ReservationGate } from '../gate/reservation-gate.js';
import { sendReservedPayment } from '../send/send-reserved-payment.js';


/** What the submit processor needs from outside. */
export interface SubmitProcessorDeps {
  bank: BankPort;
  ledger: PaymentLedger;
  writeback: WritebackQueue;
  /** The submit queue's shared rate limit: `(ms) => queue.rateLimit(ms)`. */
  rateLimit: (ms: number) => Promise<void>;
  /** Ms to wait on a 429 without Retry-After. @defaultValue 1000 */
  defaultRateLimitMs?: number;
  /** Told of each decision (no secret in it). */
  log?: (event: string, fields: Record<string, unknown>) => void;
  /**
   * The body to POST for a job: the plugin puts back what it did not store
   * (the consent links, which need the callback secret). Must give the same
   * body on every try. @defaultValue the job's stored request
   */
  prepareRequest?: (data: SubmitJobData) => PaymentRequestResource;
  /**
   * Checks the bill in Odoo before each claim: still `queued` under the job's
   * ids, posted, approved, unpaid, same recipient, amount and request as
   * reserved. Absent: no check (tests of the bank side only).
   */
  gate?: ReservationGate;
  /** Ms to wait before asking Odoo again when it did not answer the gate (no attempt spent). @defaultValue 15000 */
  odooRetryMs?: number;
  /** The bank's consent window: a submitted bill records when it ends (absent: not recorded). */
  consent?: { windowMs: number; timeZone: string };
}

export type SubmitProcessor = (job: Job<SubmitJobData, SubmitOutcome>, token?: string, signal?: AbortSignal) => Promise<SubmitOutcome>;

/**
 * The BullMQ side of sending (worker/send/send-reserved-payment.ts does the
 * gate, the ledger claim and the POST): a live claim of another worker or
 * Odoo not answering the gate delays the job (no attempt spent), a 429 waits
 * on the queue's shared rate limit, bad credentials fail the job for good
 * (the sweeper re-sends it once fixed), a transient failure is retried with
 * the same body until the last attempt decides.
 */
export function createSubmitProcessor(deps: SubmitProcessorDeps): SubmitProcessor {
  return async (job, token, signal) => {
    const r = await sendReservedPayment(deps, job.data, {
      claimToken: token ?? `${job.id}:${job.attemptsStarted}`,
      signal,
      triesBefore: job.attemptsMade,
      lastTry: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
    });
    switch (r.kind) {
      case 'done':
        return r.outcome;
      case 'held':
        await job.moveToDelayed(Math.max(r.retryAt, Date.now() + 1000), token);
        throw new DelayedError();
      case 'odoo_unreachable':
        await job.moveToDelayed(Date.now() + (deps.odooRetryMs ?? 15_000), token);
        throw new DelayedError();
      case 'rate_limited':
        await deps.rateLimit(r.retryAfterMs ?? deps.defaultRateLimitMs ?? 1000);
        throw Worker.RateLimitError();
      case 'credentials':
        throw new UnrecoverableError(new BankCredentialsError(r.message, { cause: r.error }).message);
      case 'retry':
        throw r.error instanceof Error ? r.error : new Error(String(r.error));
    }
  };
}
