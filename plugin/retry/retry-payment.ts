/**
 * `stetpay retry BILL` without the terminal: a bill whose payment ended
 * without being paid (rejected, invalid, withdrawn, cancelled) goes back among
 * the approved bills, so the next run sends a new attempt with new ids. The
 * status field is read-only on the bill form: this is how a clerk's "send it
 * again" reaches stetpay. Checked first by the ledger's rules: never while the
 * earlier attempt may be at the bank (`needs_review` and `expired` go through
 * `stetpay resolve` first).
 */
import type { TrackedBill } from '../../connector/model/index.js';
import { odooNow } from '../../connector/model/index.js';
import { writeBillUpdates, type OdooClient } from '../../connector/odoo/index.js';
import { attemptVerdict, backToApprovedValues, isLiveJob, RETIRE, type PaymentLedger } from '../../worker/index.js';
import { CommandRefusal } from '../errors.js';
import { findBill } from '../find-bill.js';

/** Why retry refused (nothing changed); stable for scripts and tests. */
export type RetryRefusal = 'not_retryable' | 'resolve_first' | 'in_hand' | 'at_bank';

/** A refused retry: the message says why and what to do; nothing was changed. */
export class RetryRefusedError extends CommandRefusal<RetryRefusal> {}

export interface RetryDeps {
  odoo: OdooClient;
  ledger: Pick<PaymentLedger, 'get' | 'retire' | 'claimTtlMs'>;
  /** The submit queue's view of a payment's job (`queue.getJobState`). */
  jobState: (paymentInformationId: string) => Promise<string>;
  /** Who asked, for the audit trail. */
  by: string;
  now?: () => Date;
}

export interface RetryResult {
  bill: TrackedBill;
  message: string;
}

const RETRYABLE = new Set(['rejected', 'invalid', 'withdrawn', 'cancelled']);

function notRetryable(bill: TrackedBill): RetryRefusedError {
  const label = `Bill ${bill.name}`;
  switch (bill.status) {
    case null:
      return new RetryRefusedError('not_retryable', `${label} has no stetpay status: the next run takes it if it is approved for bank payment. Nothing was changed.`);
    case 'needs_review':
    case 'expired':
      return new RetryRefusedError(
        'resolve_first',
        `${label} is ${bill.status}: stetpay cannot tell whether the bank has payment ${bill.endToEndId ?? ''}. Look for it in online banking first; if it is not there, run stetpay resolve ${bill.name} --not-at-bank (that also lets the next run send a new payment). Nothing was changed.`,
      );
    case 'queued':
      return new RetryRefusedError('not_retryable', `${label} is queued: its payment is waiting to be sent. To stop it, run stetpay cancel ${bill.name}. Nothing was changed.`);
    case 'exported':
      return new RetryRefusedError('not_retryable', `${label} was put in a pain.001 file: follow it in online banking. Nothing was changed.`);
    case 'held':
      return new RetryRefusedError('not_retryable', `${label} is held before sending (${bill.reason ?? 'a hold'}): nothing was reserved, and every run looks at it again; do what its reason says and the next run pays it. Nothing was changed.`);
    default:
      return new RetryRefusedError('not_retryable', `${label} is ${bill.status}: its payment is at the bank; it is not sent again. Nothing was changed.`);
  }
}

export async function retryPayment(deps: RetryDeps, billRef: string): Promise<RetryResult> {
  const now = deps.now ?? (() => new Date());
  const bill = await findBill(deps.odoo, billRef);
  const label = `Bill ${bill.name}`;
  if (!RETRYABLE.has(bill.status ?? '')) throw notRetryable(bill);
  const n = bill.attempt;
  const pid = bill.paymentInformationId;
  let proof = 'no payment was ever reserved for it';
  if (n > 0 && pid) {
    const [entry, state] = await Promise.all([deps.ledger.get(pid), deps.jobState(pid)]);
    if (isLiveJob(state)) throw new RetryRefusedError('in_hand', `${label}: a worker still has payment ${bill.endToEndId} in hand (job ${state}); wait until it is settled, then look again. Nothing was changed.`);
    let verdict = attemptVerdict({ attempt: n, closedAttempt: bill.closedAttempt ?? 0, odooStatus: bill.status, entry, jobState: state, claimTtlMs: deps.ledger.claimTtlMs });
    if (verdict.kind === 'retirable') {
      const reason = `Bill ${bill.name}: payment ${bill.endToEndId} was never sent; ${deps.by} asked to send the bill again (stetpay retry): its ids are retired.`;
      const code = await deps.ledger.retire(pid, { billId: bill.billId, endToEndId: bill.endToEndId ?? pid, status: 'withdrawn', reason, reviewReason: reason, evidence: 'lost_answer' });
      verdict = code === RETIRE.RETIRED ? { kind: 'closed', proof: 'its ids are retired now' } : { kind: 'may_be_at_bank', evidence: 'a worker took it meanwhile' };
    }
    if (verdict.kind === 'may_be_at_bank') {
      throw new RetryRefusedError(
        'at_bank',
        `${label}: payment ${bill.endToEndId} (attempt ${n}) may be at the bank: ${verdict.evidence}. stetpay will not send a second one. Check it in online banking; if it is not there, run stetpay resolve ${bill.name} --not-at-bank. Nothing was changed.`,
      );
    }
    proof = verdict.proof;
  }
  const at = now();
  await writeBillUpdates(
    deps.odoo,
    [
      {
        billId: bill.billId,
        values: backToApprovedValues(Math.max(bill.closedAttempt ?? 0, bill.attempt)),
        note:
          `stetpay: ${deps.by} asked on ${odooNow(at)} UTC to send this bill again (stetpay retry). ` +
          (n > 0 && bill.endToEndId ? `Its payment ${bill.endToEndId} (attempt ${n}) ended ${bill.status} and is never sent (${proof}). ` : '') +
          'The next run sends a new payment with new ids, while the bill is approved for bank payment.',
      },
    ],
    at,
  );
  return { bill, message: `${label}: ${bill.status} cleared; the next run sends a new payment (attempt ${n + 1}, new ids) while the bill is approved for bank payment.` };
}
