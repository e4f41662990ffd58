import type { BillStatus } from '../../connector/model/index.js';

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
