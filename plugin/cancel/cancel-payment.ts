/**
 * `stetpay cancel BILL` without the terminal. Cancels a payment the bank has
 * but has not yet executed: GET it, PUT it back with CANC + DS02 (STET 1.6 §9),
 * GET again, and record `cancelled` in Odoo only once the bank says CANC.
 * Whatever refuses (a final payment, one not sent yet, a bank that does not
 * offer cancellation, one too far along), nothing is changed anywhere.
 */
import { billStatusFromStet, bankStatusCode } from '../../connector/mapping/index.js';
import { isFinalStatus, odooNow, type BillUpdate, type TrackedBill } from '../../connector/model/index.js';
import { readTrackedBills, writeBillUpdates, type OdooClient } from '../../connector/odoo/index.js';
import { parsePaymentId } from '../../connector/rules/index.js';
import type { BankProfile } from '../../connector/profiles/index.js';
import { BankConflictError, BankNotFoundError, BankNotSupportedError, type StetClient } from '../../connector/stet/index.js';
import { CommandRefusal } from '../errors.js';
import { backToApprovedValues, cancelledBeforeSendingUpdate, entryEvidence, needsReviewUpdate, RETIRE, type PaymentLedger } from '../../worker/index.js';
import { findBill } from '../find-bill.js';

/** Why a cancellation was refused (nothing changed); stable for scripts and tests. */
export type CancelRefusal = 'final' | 'not_tracked' | 'not_sent' | 'not_supported' | 'too_late' | 'unknown_at_bank' | 'final_at_bank' | 'in_flight' | 'no_redis';

/** A refused cancellation: the message says why and what to do; nothing was changed. */
export class CancelRefusedError extends CommandRefusal<CancelRefusal> {}

export interface CancelDeps {
  odoo: OdooClient;
  bank: StetClient;
  profile: BankProfile;
  /** Where the cancellation is recorded for the run's resubmission guard (a cancelled payment may be sent anew); needed to stop a queued payment. */
  ledger?: Pick<PaymentLedger, 'markFinal' | 'retire' | 'get' | 'claimTtlMs'>;
  /** The submit queue: a queued payment's job is removed once its ids are retired. */
  queue?: { remove(jobId: string): Promise<unknown> };
  /** Who cancels, for the audit trail. @defaultValue 'stetpay cancel' */
  by?: string;
  /** @defaultValue () => new Date() */
  now?: () => Date;
}

export interface CancelResult {
  /**
   * `cancelled`: the bank confirmed CANC, or a queued payment was stopped before it was sent, and Odoo records it;
   * `requested`: the bank took the request but does not show CANC yet;
   * `needs_review`: a queued payment was stopped, but an earlier try may have reached the bank.
   */
  kind: 'cancelled' | 'requested' | 'needs_review';
  bill: TrackedBill;
  /** The bank's code after the cancellation. */
  bankStatus: string | null;
  message: string;
}

const NOT_SUPPORTED = 'this bank does not accept cancellation through its API: cancel it in online banking';


/** Refuses before any bank call when the bill's own record already answers. */
function checkCancellable(bill: TrackedBill): string {
  const label = `Bill ${bill.name}`;
  if (bill.status === null) throw new CancelRefusedError('not_tracked', `${label} has no stetpay payment: nothing to cancel`);
  if (isFinalStatus(bill.status)) {
    const why = bill.status === 'exported' ? 'it was put in a pain.001 file: cancel it in online banking if the file was uploaded' : `its payment is final (${bill.status}${bill.bankStatus ? `, ${bill.bankStatus}` : ''}) and cannot be cancelled`;
    throw new CancelRefusedError('final', `${label}: ${why}. Nothing was changed.`);
  }
  if (!bill.resourceId) {
    if (bill.status === 'held') {
      throw new CancelRefusedError('not_sent', `${label} is held before sending (${bill.reason ?? 'a hold'}): nothing has reached the bank. To stop it for good, untick 'Approved for bank payment' in Odoo. Nothing was changed.`);
    }
    if (bill.status === 'needs_review') {
      throw new CancelRefusedError('not_sent', `${label}: stetpay does not know whether the bank has this payment (${bill.reason ?? 'needs review'}). Look for ${bill.endToEndId ?? 'it'} in online banking and cancel it there if it exists. Nothing was changed.`);
    }
    throw new CancelRefusedError(
      'not_sent',
      `${label} is ${bill.status} and has no bank reference yet, so the bank cannot cancel it. Run stetpay cancel again once it shows submitted (it then has a bank resource id); ` +
        `until the signatory approves it at the bank it is never executed, so refusing it on the bank's consent page also stops it. Nothing was changed.`,
    );
  }
  return bill.resourceId;
}

export async function cancelPayment(deps: CancelDeps, billRef: string): Promise<CancelResult> {
  const now = deps.now ?? (() => new Date());
  const bill = await findBill(deps.odoo, billRef);
  if (bill.status === 'queued' && !bill.resourceId && bill.paymentInformationId) return cancelQueued(deps, bill, now());
  const resourceId = checkCancellable(bill);
  if (parsePaymentId(bill.paymentInformationId ?? '')?.kind === 'B') {
    // The bank cancels a request as a whole: cancelling one transfer through the API would cancel them all.
    throw new CancelRefusedError(
      'not_supported',
      `Bill ${bill.name}: payment ${bill.endToEndId ?? ''} is one of the transfers of payment ${bill.paymentInformationId}, approved at the bank as one request; the bank cancels a request as a whole, so stetpay does not cancel one of its transfers through the API. Cancel it in online banking (or refuse the request on the bank's consent page). Nothing was changed.`,
    );
  }
  const label = `Bill ${bill.name} (payment ${bill.endToEndId ?? resourceId})`;

  let read;
  try {
    read = await deps.bank.paymentRequests.retrieve(resourceId);
  } catch (err) {
    if (err instanceof BankNotFoundError) throw new CancelRefusedError('unknown_at_bank', `${label}: the bank no longer knows payment request ${resourceId} (after its ${deps.profile.retentionDays}-day retention, or never). Check online banking. Nothing was changed.`);
    throw err;
  }
  const before = read.body.paymentRequest;
  const tx = before.creditTransferTransaction?.[0];
  const code = bankStatusCode(before.paymentInformationStatus, tx?.transactionStatus);
  const atBank = billStatusFromStet(before.paymentInformationStatus, tx?.transactionStatus);
  if (atBank === 'executed' || atBank === 'rejected') {
    throw new CancelRefusedError('final_at_bank', `${label}: the bank already reports it ${atBank} (${code}); it cannot be cancelled. stetpay sync records it in Odoo. Nothing was changed.`);
  }

  let confirmedCode = code;
  if (atBank !== 'cancelled') {
    try {
      await deps.bank.paymentRequests.cancel(read.body);
    } catch (err) {
      if (err instanceof BankNotSupportedError) throw new CancelRefusedError('not_supported', `${label}: ${NOT_SUPPORTED} (${deps.profile.name}). Nothing was changed.`);
      if (err instanceof BankConflictError) {
        throw new CancelRefusedError('too_late', `${label}: the bank refused the cancellation: the payment is already accepted for execution or executed (${code}). Ask your bank whether it can still be recalled. Nothing was changed.`);
      }
      throw err;
    }
    const after = (await deps.bank.paymentRequests.retrieve(resourceId)).body.paymentRequest;
    const afterTx = after.creditTransferTransaction?.[0];
    confirmedCode = bankStatusCode(after.paymentInformationStatus, afterTx?.transactionStatus);
    if (billStatusFromStet(after.paymentInformationStatus, afterTx?.transactionStatus) !== 'cancelled') {
      return {
        kind: 'requested',
        bill,
        bankStatus: confirmedCode,
        message: `${label}: the bank took the cancellation request but still reports ${confirmedCode ?? 'no status'}; Odoo is unchanged. stetpay sync records the cancellation when the bank confirms it.`,
      };
    }
  }

  const at = now();
  const reason = `Cancelled at the bank on ${odooNow(at)} UTC by stetpay cancel (DS02: cancelled at the debtor's request).`;
  const update: BillUpdate = {
    billId: bill.billId,
    values: { x_stet_status: 'cancelled', x_stet_bank_status: 'CANC', x_stet_status_reason: reason, ...(bill.attempt > 0 ? { x_stet_closed_attempt: bill.attempt } : {}) },
    note: `stetpay: payment ${bill.endToEndId ?? ''} (bank resource ${resourceId}) cancelled at the bank, which confirms CANC. It will not be executed.`,
  };
  if (bill.paymentInformationId) await deps.ledger?.markFinal(bill.paymentInformationId, { status: 'cancelled', reason, resourceId });
  await writeBillUpdates(deps.odoo, [update], at);
  return { kind: 'cancelled', bill, bankStatus: 'CANC', message: `${label} cancelled: the bank confirms CANC and Odoo shows it cancelled.` };
}

/**
 * A queued payment not sent yet: its ids are retired in the ledger, atomically
 * against a worker's claim (the export's way), its job is removed, and Odoo
 * records `cancelled` with who and when. Refused while a worker is sending it;
 * an earlier try that may have reached the bank makes it needs_review (sending
 * stops either way).
 */
async function cancelQueued(deps: CancelDeps, bill: TrackedBill, at: Date): Promise<CancelResult> {
  const label = `Bill ${bill.name}`;
  const pid = bill.paymentInformationId!;
  const e2e = bill.endToEndId ?? pid;
  if (!deps.ledger) throw new CancelRefusedError('no_redis', `${label} is queued: stopping it needs stetpay's Redis (configure the redis section). Nothing was changed.`);
  const by = deps.by ?? 'stetpay cancel';
  const reason = `Cancelled before it was sent, by ${by} on ${odooNow(at)} UTC (stetpay cancel): nothing reached the bank and payment ${e2e} is never sent. To pay the bill later, run stetpay retry ${bill.name}.`;
  const reviewReason =
    `${by} cancelled payment ${e2e} on ${odooNow(at)} UTC (stetpay cancel) while an earlier try may have reached the bank: stetpay sends nothing more. ` +
    `Check in online banking whether payment ${e2e} exists and cancel it there if it does; if it does not, run stetpay resolve ${bill.name} --not-at-bank.`;
  const code = await deps.ledger.retire(pid, { billId: bill.billId, endToEndId: e2e, status: 'cancelled', reason, reviewReason, evidence: 'lost_answer' });
  if (code === RETIRE.HELD) {
    throw new CancelRefusedError('in_flight', `${label}: a worker is sending payment ${e2e} to the bank right now. Once it shows submitted, run stetpay cancel again (or refuse it on the bank's consent page). Nothing was changed.`);
  }
  if (code === RETIRE.DECIDED) {
    const entry = await deps.ledger.get(pid);
    throw new CancelRefusedError(
      'in_flight',
      `${label}: payment ${e2e} is no longer waiting: ${entry ? entryEvidence(entry, deps.ledger.claimTtlMs) : 'it was decided meanwhile'}; Odoo shows it shortly. Run stetpay cancel again once it shows submitted. Nothing was changed.`,
    );
  }
  await deps.queue?.remove(pid).catch(() => undefined); // an active job cannot be removed: its claim now answers "done"
  const base = { billId: bill.billId, ids: { paymentInformationId: pid, endToEndId: e2e, instructionId: '' }, attempt: bill.attempt };
  // The other bills of a request of several transfers: never sent under these ids either.
  const others = parsePaymentId(pid)?.kind === 'B' ? (await readTrackedBills(deps.odoo, { paymentInformationIds: [pid], statuses: ['queued'] })).filter((b) => b.billId !== bill.billId) : [];
  if (code === RETIRE.STOPPED) {
    const review = others.map((b) => needsReviewUpdate({ billId: b.billId, ids: { paymentInformationId: pid, endToEndId: b.endToEndId ?? '', instructionId: '' }, attempt: b.attempt, reason: reviewReason }));
    await writeBillUpdates(deps.odoo, [needsReviewUpdate({ ...base, reason: reviewReason }), ...review], at);
    return { kind: 'needs_review', bill, bankStatus: null, message: `${label}: payment ${e2e} is stopped, but an earlier try may have reached the bank: check it in online banking (the bill shows needs_review).` };
  }
  const back = others.map((b): BillUpdate => {
    const why = `Bill ${b.name}: payment ${b.endToEndId ?? pid} was not sent: it was one of the transfers of payment ${pid}, and ${by} cancelled bill ${bill.name} of it on ${odooNow(at)} UTC. Nothing reached the bank and these ids are never sent; the bill is back among the approved ones and the next run sends it in a new payment.`;
    return { billId: b.billId, values: { ...backToApprovedValues(b.attempt), x_stet_status_reason: why }, note: `stetpay: ${why}` };
  });
  await writeBillUpdates(deps.odoo, [cancelledBeforeSendingUpdate({ ...base, reason }), ...back], at);
  return { kind: 'cancelled', bill, bankStatus: null, message: `${label}: payment ${e2e} cancelled before it was sent; it is never sent, and Odoo shows it cancelled.` };
}
