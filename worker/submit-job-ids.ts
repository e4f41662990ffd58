import type { PaymentIds } from '../connector/model/index.js';
import type { SubmitJobData } from './types/submit-job-data.js';

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
