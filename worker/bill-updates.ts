import { odooNow, type BillUpdate, type PaymentIds, type StetFieldValues } from '../connector/model/index.js';
import { awaitingConsentReason } from './consent-window.js';

/** What every bill update names: the bill and its payment ids. */
export interface UpdateBase {
  billId: number;
  ids: PaymentIds;
  attempt: number;
  executionDate?: string;
}

function idValues(b: UpdateBase) {
  return {
    x_stet_end_to_end_id: b.ids.endToEndId,
    x_stet_payment_information_id: b.ids.paymentInformationId,
    x_stet_attempt: b.attempt,
    ...(b.executionDate ? { x_stet_requested_execution_date: b.executionDate } : {}),
    x_stet_updated_at: odooNow(),
  };
}

/**
 * 201: the bank has it; waiting for the signatory's consent. `consent`: when
 * the bank's consent window ends (recorded, and said in the reason).
 */
export function submittedUpdate(b: UpdateBase & { resourceId: string; consentUrl?: string; requestId?: string; consent?: { deadline: Date; timeZone: string } }): BillUpdate {
  return {
    billId: b.billId,
    values: {
      ...idValues(b),
      x_stet_status: 'submitted',
      x_stet_resource_id: b.resourceId,
      x_stet_consent_url: b.consentUrl ?? false,
      x_stet_status_reason: b.consent ? awaitingConsentReason(b.ids.endToEndId, b.consent.deadline, b.consent.timeZone) : false,
      ...(b.consent ? { x_stet_consent_deadline: odooNow(b.consent.deadline) } : {}),
    },
    note:
      `stetpay: payment ${b.ids.endToEndId} sent to the bank on ${odooNow()} UTC; bank resource id ${b.resourceId}` +
      (b.requestId ? ` (request id ${b.requestId})` : '') +
      (b.consentUrl ? '. Waiting for the signatory to approve it at the bank.' : '.'),
  };
}

/** Final: the bank refused the request's content (its first copy: nothing of it is at the bank, the attempt is closed). */
export function rejectedUpdate(b: UpdateBase & { bankCode?: string; reason: string }): BillUpdate {
  return {
    billId: b.billId,
    values: { ...idValues(b), x_stet_status: 'rejected', x_stet_bank_status: b.bankCode ?? 'RJCT', x_stet_status_reason: b.reason, x_stet_closed_attempt: b.attempt },
    note: `stetpay: the bank rejected payment ${b.ids.endToEndId}: ${b.reason}`,
  };
}

/** Fate unknown: a person must look. `bankStatus`: the evidence kept in Odoo that the bank has it (`evidenceCode`). */
export function needsReviewUpdate(b: UpdateBase & { reason: string; bankStatus?: string }): BillUpdate {
  return {
    billId: b.billId,
    values: { ...idValues(b), x_stet_status: 'needs_review', x_stet_status_reason: b.reason, ...(b.bankStatus ? { x_stet_bank_status: b.bankStatus } : {}) },
    note: `stetpay: payment ${b.ids.endToEndId} needs review: ${b.reason}`,
  };
}

/** Not sent yet, stays `queued`: the reason says why and what happens next. */
export function stillQueuedUpdate(b: UpdateBase & { reason: string }): BillUpdate {
  return {
    billId: b.billId,
    values: { ...idValues(b), x_stet_status: 'queued', x_stet_status_reason: b.reason },
    note: `stetpay: payment ${b.ids.endToEndId} not sent yet: ${b.reason}`,
  };
}

/** Final for its attempt: never sent (the bill changed after reservation); the ids are retired, the attempt closed. */
export function withdrawnUpdate(b: UpdateBase & { reason: string }): BillUpdate {
  return {
    billId: b.billId,
    values: { ...idValues(b), x_stet_status: 'withdrawn', x_stet_status_reason: b.reason, x_stet_closed_attempt: b.attempt },
    note: `stetpay: payment ${b.ids.endToEndId} not sent: ${b.reason}`,
  };
}

/** Final: a person stopped a payment before it reached the bank (`stetpay cancel` of a queued payment); the attempt is closed. */
export function cancelledBeforeSendingUpdate(b: UpdateBase & { reason: string }): BillUpdate {
  return {
    billId: b.billId,
    values: { ...idValues(b), x_stet_status: 'cancelled', x_stet_status_reason: b.reason, x_stet_closed_attempt: b.attempt },
    note: `stetpay: payment ${b.ids.endToEndId} cancelled before it was sent: ${b.reason}`,
  };
}

/**
 * Back among the approved bills (`stetpay resolve`, `stetpay retry`): the
 * status and what the bank said are cleared; the ids and the attempt number
 * stay, so the next run makes attempt n+1 with new ids; attempt n is recorded closed.
 */
export function backToApprovedValues(closedAttempt: number): StetFieldValues {
  return { x_stet_status: false, x_stet_bank_status: false, x_stet_status_reason: false, x_stet_resource_id: false, x_stet_consent_url: false, x_stet_closed_attempt: closedAttempt };
}
