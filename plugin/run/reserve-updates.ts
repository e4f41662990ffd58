/**
 * What the run writes into Odoo before anything is queued (step 3 of the
 * design): the ids and `queued`, or `invalid` with the reasons. Pure.
 */
import { odooNow, type BillUpdate, type PaymentIds, type PaymentRequestResource, type Reason } from '../../connector/model/index.js';
import { formatCents, formatReasons, requestDigest, requestText, reservationOf } from '../../connector/rules/index.js';

/**
 * `queued` with the ids, and what the attempt will send: the request exactly
 * as its job stores it (without the consent links the worker adds back), its
 * digest, and the recipient, amount and currency a person sees. `closedAttempt`:
 * the highest earlier attempt proven never paid (0 for a first attempt),
 * always written so every reservation has the same fields (one `load` per batch).
 */
export function queuedUpdate(p: {
  billId: number;
  ids: PaymentIds;
  attempt: number;
  executionDate: string;
  amountCents: number;
  creditorIban: string;
  /** This bill's part of the request (the request itself for a single transfer), exactly as its job stores it. */
  request: PaymentRequestResource;
  closedAttempt: number;
  now: Date;
  /** A request of several transfers: their end-to-end ids in the order sent (recorded on each of its bills). */
  members?: string[];
  /** Reserved for the signatory (`on-signatory`): sent when she opens it on the signatory's page. */
  forSignatory?: boolean;
}): BillUpdate {
  const text = requestText(p.request);
  const reserved = reservationOf(p.request);
  const many = p.members && p.members.length > 1 ? ` as one of the ${p.members.length} transfers of payment ${p.ids.paymentInformationId} (one approval at the bank for all)` : '';
  const when = p.forSignatory ? ` It is sent to the bank when the signatory opens it on the signatory's page.` : '';
  return {
    billId: p.billId,
    values: {
      x_stet_status: 'queued',
      x_stet_bank_status: false,
      x_stet_status_reason: p.forSignatory ? `Waiting for the signatory: sent to the bank when the signatory opens it on the signatory's page (the bank's approval window starts then).` : false,
      x_stet_end_to_end_id: p.ids.endToEndId,
      x_stet_payment_information_id: p.ids.paymentInformationId,
      x_stet_resource_id: false,
      x_stet_consent_url: false,
      x_stet_requested_execution_date: p.executionDate,
      x_stet_attempt: p.attempt,
      x_stet_request: text,
      x_stet_request_digest: requestDigest(text),
      x_stet_reserved_iban: reserved.iban,
      x_stet_reserved_amount: Number(formatCents(reserved.amountCents)),
      x_stet_reserved_currency: reserved.currency,
      x_stet_closed_attempt: p.closedAttempt,
      x_stet_request_members: p.members && p.members.length > 1 ? p.members.join(',') : false,
      x_stet_updated_at: odooNow(p.now),
    },
    note: `stetpay: payment ${p.ids.endToEndId} of ${formatCents(p.amountCents)} EUR to ${p.creditorIban} queued on ${odooNow(p.now)} UTC for execution on ${p.executionDate}${many}.${when}`,
  };
}

/**
 * Not sendable as it is: `invalid`, the reasons saying what to fix.
 * `closedAttempt`, when given: as for a hold (below), an earlier attempt this
 * run proved never paid, so `stetpay retry` needs no Redis to know it.
 */
export function invalidUpdate(p: { billId: number; reasons: readonly Reason[]; now: Date; closedAttempt?: number }): BillUpdate {
  const text = formatReasons(p.reasons);
  return {
    billId: p.billId,
    values: { x_stet_status: 'invalid', x_stet_status_reason: text, ...(p.closedAttempt === undefined ? {} : { x_stet_closed_attempt: p.closedAttempt }), x_stet_updated_at: odooNow(p.now) },
    note: `stetpay: not sent to the bank: ${text}`,
  };
}

/**
 * A hold: `held`, no ids reserved, the reasons saying what a person must do;
 * the next run looks again. `closedAttempt`, when given: an earlier attempt
 * this run proved never paid, recorded so later runs need no Redis to know it.
 * Null when the bill is already held for exactly these reasons and there is
 * nothing new to record: no second note in its chatter.
 */
export function heldUpdate(p: { billId: number; holds: readonly Reason[]; now: Date; previousReason?: string | null; closedAttempt?: number }): BillUpdate | null {
  const text = formatReasons(p.holds);
  const closed = p.closedAttempt === undefined ? {} : { x_stet_closed_attempt: p.closedAttempt };
  if (p.previousReason === text) return p.closedAttempt === undefined ? null : { billId: p.billId, values: closed };
  return {
    billId: p.billId,
    values: { x_stet_status: 'held', x_stet_status_reason: text, ...closed, x_stet_updated_at: odooNow(p.now) },
    note: `stetpay: held, not sent to the bank yet: ${text}`,
  };
}

/** The update that also records the payee check (Verification of Payee) its payment was decided under, when one was decided. */
export function withPayeeCheck(update: BillUpdate, decision: { checkId: number | false } | undefined): BillUpdate {
  return decision ? { ...update, values: { ...update.values, x_stet_payee_check_id: decision.checkId } } : update;
}

/** The update with one more sentence in its chatter note (e.g. the payee check the payment went under). */
export function withNote(update: BillUpdate, sentence: string | undefined): BillUpdate {
  return sentence ? { ...update, note: update.note ? `${update.note} ${sentence}` : `stetpay: ${sentence}` } : update;
}

export function refusedResubmissionUpdate(p: { billId: number; reason: string; now: Date }): BillUpdate {
  return {
    billId: p.billId,
    values: { x_stet_status: 'needs_review', x_stet_status_reason: p.reason, x_stet_updated_at: odooNow(p.now) },
    note: `stetpay: not sent again: ${p.reason}`,
  };
}
