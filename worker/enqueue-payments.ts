import type { Queue } from 'bullmq';
import { InvalidJobIdError } from './errors.js';
import { submitJobIds, type SubmitJobData, type SubmitJobInput, type SubmitJobOptions, type SubmitOutcome } from './submit-job.js';

export const SUBMIT_JOB_NAME = 'submit-payment';
export const DEFAULT_SUBMIT_ATTEMPTS = 8;
/**
 * Retention of finished submit jobs, by age (seconds) and count. Set on the
 * submit Worker, not on each job: BullMQ stores job options with every job,
 * and the worker's setting applies to any job that names none.
 */
export const DEFAULT_REMOVE_ON_COMPLETE = { age: 7 * 24 * 3600, count: 10_000 };
export const DEFAULT_REMOVE_ON_FAIL = { age: 30 * 24 * 3600, count: 50_000 };

/** Throws when BullMQ could not take the id as a jobId. */
export function checkJobId(id: string): string {
  if (!id || id.includes(':') || /^\d+$/.test(id)) throw new InvalidJobIdError(id);
  return id;
}

/** The job options of one payment (also used by the sweeper); BullMQ stores them with every job, so they are kept short. */
export function submitJobOptions(paymentInformationId: string, opts: SubmitJobOptions = {}) {
  return {
    jobId: checkJobId(paymentInformationId),
    attempts: opts.attempts ?? DEFAULT_SUBMIT_ATTEMPTS,
    backoff: { type: 'custom' },
    ...(opts.removeOnComplete === undefined ? {} : { removeOnComplete: opts.removeOnComplete }),
    ...(opts.removeOnFail === undefined ? {} : { removeOnFail: opts.removeOnFail }),
  };
}

/**
 * `addBulk` one job per payment, jobId = paymentInformationId. A jobId blocks
 * a re-add only while the job exists (BullMQ facts §1): the ledger, not the
 * jobId, is what stops a second POST. Returns the number of jobs handed over.
 */
export async function enqueuePayments(
  queue: Queue<SubmitJobData, SubmitOutcome>,
  payments: SubmitJobInput[],
  opts: SubmitJobOptions & { chunkSize?: number } = {},
): Promise<number> {
  const seen = new Set<string>();
  const jobs = [];
  for (const { ids, ...data } of payments) {
    const own = submitJobIds(data);
    const id = own.paymentInformationId;
    if (ids && (ids.paymentInformationId !== id || ids.instructionId !== own.instructionId || ids.endToEndId !== own.endToEndId)) {
      throw new Error(`stetpay: bill ${data.billName}: the request's ids (${id}, ${own.instructionId}, ${own.endToEndId}) differ from the bill's (${ids.paymentInformationId}, ${ids.instructionId}, ${ids.endToEndId})`);
    }
    if (seen.has(id)) continue;
    seen.add(id);
    jobs.push({ name: SUBMIT_JOB_NAME, data, opts: submitJobOptions(id, opts) });
  }
  const chunk = opts.chunkSize ?? 500;
  for (let i = 0; i < jobs.length; i += chunk) await queue.addBulk(jobs.slice(i, i + chunk));
  return jobs.length;
}
