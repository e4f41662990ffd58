import type { BillStatus, PaymentIds, PaymentRequestResource } from '../connector/model/index.js';

/**
 * A job's payment ids, read from its request (single transaction): the ids the
 * bank receives are by construction the ones the ledger and Odoo record.
 * Jobs stored with an `ids` copy (before it was dropped) give the same values.
 */
export function submitJobIds(data: Pick<SubmitJobData, 'request'>): PaymentIds {
  const tx = data.request.creditTransferTransaction[0];
  if (!tx) throw new Error(`stetpay: payment ${data.request.paymentInformationId} has no credit transfer transaction`);
  return { paymentInformationId: data.request.paymentInformationId, instructionId: tx.paymentId.instructionId, endToEndId: tx.paymentId.endToEndId };
}

/**
 * One payment's job, as stored in Redis. No secret in it: the request body is
 * not secret, and it is stored so that every retry re-sends byte-identical
 * content (body and ids are fixed once, when the run maps the bill). The
 * payment's ids are not stored a second time: they are the request's own
 * (`submitJobIds`), which keeps each pending payment small in Redis.
 */
export interface SubmitJobData {
  billId: number;
  /** Bill number, e.g. `BILL/2026/11/0042`, for messages a clerk reads. */
  billName: string;
  /** Odoo database: part of the deterministic ids. */
  database: string;
  /** `x_stet_attempt` the ids were made for. */
  attempt: number;
  request: PaymentRequestResource;
  /** YYYY-MM-DD requested execution date. */
  executionDate: string;
  /**
   * A request of several transfers (one consent for all): its bills, in the
   * order of its transfers (`billId`, `billName`, `attempt` above are the
   * first's). Absent for a single transfer.
   */
  bills?: SubmitJobBill[];
}

/** One bill of a request of several transfers. */
export interface SubmitJobBill {
  billId: number;
  billName: string;
  attempt: number;
}

/**
 * What a producer hands to `enqueuePayments`: the job, optionally with the ids
 * the mapping made, which are then checked against the request and not stored.
 */
export type SubmitJobInput = SubmitJobData & { ids?: PaymentIds };

/** Job options set on every payment at enqueue. */
export interface SubmitJobOptions {
  /** Tries for transient failures (429 and claim waits spend none). @defaultValue 8 */
  attempts?: number;
  /** Completed jobs kept, overriding the submit worker's retention for these jobs (stored with each job). @defaultValue the worker's: 7 days, at most 10,000 */
  removeOnComplete?: number | { age: number; count: number };
  /** Failed jobs kept, overriding the submit worker's retention (stored with each job). @defaultValue the worker's: 30 days, at most 50,000 */
  removeOnFail?: number | { age: number; count: number };
}

/**
 * What the submit processor did with one payment: the job's return value
 * (bank failures that are outcomes, such as a rejection, are not job failures).
 */
export interface SubmitOutcome {
  paymentInformationId: string;
  billId: number;
  /** The bill status written back. */
  status: BillStatus;
  /**
   * `posted`: the bank took it now; `replayed`: the ledger already knew the answer, no POST;
   * `withdrawn`: never sent, the bill changed (or left `queued`) after reservation: ids retired.
   */
  kind: 'posted' | 'replayed' | 'rejected' | 'needs_review' | 'left_queued' | 'withdrawn';
  resourceId?: string;
  reason?: string;
}
