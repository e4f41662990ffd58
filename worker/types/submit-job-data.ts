import type { PaymentIds, PaymentRequestResource } from '../../connector/model/index.js';

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
