import type { PaymentIds, PaymentRequestResource } from '../connector/model/index.js';
import { parsePaymentId, requestParts } from '../connector/rules/index.js';
import { submitJobIds, type SubmitJobData } from './submit-job.js';

/** One bill of a payment request and its transfer: what every bill update and check names. */
export interface PaymentMember {
  billId: number;
  billName: string;
  attempt: number;
  /** The request's paymentInformationId, this transfer's instruction and end-to-end ids. */
  ids: PaymentIds;
  /** YYYY-MM-DD */
  executionDate: string;
  /** This bill's part of the request: what Odoo records on it (the request itself for a single transfer). */
  part: PaymentRequestResource;
}

/**
 * The bills of a job's request, in the order of its transfers: one for a
 * single transfer; for a request of several, `bills` names each, and each
 * transfer's end-to-end id must be its bill's (else the job is refused: its
 * content cannot be tied to the bills it would be recorded on).
 */
export function paymentMembers(data: SubmitJobData): PaymentMember[] {
  if (!data.bills) return [{ billId: data.billId, billName: data.billName, attempt: data.attempt, ids: submitJobIds(data), executionDate: data.executionDate, part: data.request }];
  const parts = requestParts(data.request);
  if (parts.length !== data.bills.length) throw new Error(`stetpay: payment ${data.request.paymentInformationId} holds ${parts.length} transfers for ${data.bills.length} bills`);
  return parts.map((part, i) => {
    const bill = data.bills![i]!;
    const tx = part.creditTransferTransaction[0]!;
    const parsed = parsePaymentId(tx.paymentId.endToEndId);
    if (parsed?.billId !== bill.billId || parsed.attempt !== bill.attempt) throw new Error(`stetpay: transfer ${tx.paymentId.endToEndId} of payment ${data.request.paymentInformationId} is not bill ${bill.billName}'s (attempt ${bill.attempt})`);
    return {
      billId: bill.billId,
      billName: bill.billName,
      attempt: bill.attempt,
      ids: { paymentInformationId: data.request.paymentInformationId, instructionId: tx.paymentId.instructionId, endToEndId: tx.paymentId.endToEndId },
      executionDate: (tx.requestedExecutionDate ?? data.executionDate).slice(0, 10),
      part,
    };
  });
}
