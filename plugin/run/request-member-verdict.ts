/**
 * May attempt n of a bill be at the bank, when Odoo records that attempt as one
 * of the transfers of a request of several (`SPB-…`, stet-1.6)? Its ledger entry
 * and job are the request's, not the bill's own `SPP-…` ones (D4 of issue 10).
 *
 * Odoo's `x_stet_payment_information_id` can be edited by hand, so it only
 * names where to look: the request's ledger word may prove the bill's attempt
 * closed only when the request's job, in Redis, lists this bill at this attempt
 * (and the request's id is the one stetpay derives from its first bill). A
 * request nothing sent is retired only when every one of its bills is back
 * among the approved ones (status cleared): none may still be sent under it.
 * Everything else is `may_be_at_bank`, naming the request.
 */
import { isOpenForRun, type BillSnapshot, type TrackedBill } from '../../connector/model/index.js';
import { bulkPaymentId, parsePaymentId } from '../../connector/rules/index.js';
import type { AttemptVerdict, SubmitJobData } from '../../worker/index.js';

/** The request of several transfers Odoo records for the bill's attempt, or null (a single transfer, or no such id). */
export function recordedRequest(s: BillSnapshot): string | null {
  const pid = s.bill.paymentInformationId ?? '';
  return parsePaymentId(pid)?.kind === 'B' ? pid : null;
}

export interface RequestFacts {
  /** The request's paymentInformationId (`SPB-…`). */
  pid: string;
  /** Its job as Redis holds it (null: none). */
  job: SubmitJobData | null;
  /** `attemptVerdict` on the request's ledger entry and job. */
  verdict: AttemptVerdict;
  /** Odoo's record now of the bills its job lists (read only when the request is retirable). */
  members: Pick<TrackedBill, 'billId' | 'status' | 'attempt' | 'paymentInformationId'>[];
}

/** The request's job lists this bill at this attempt, and the request's id is derived from its first bill: the link is Redis's, not only Odoo's. */
function provenMember(s: BillSnapshot, r: RequestFacts): boolean {
  const bills = r.job?.bills ?? [];
  const first = bills[0];
  return !!first && r.pid === bulkPaymentId(s.database, first.billId, first.attempt) && bills.some((m) => m.billId === s.bill.id && m.attempt === s.bill.attempt);
}

/**
 * The verdict on attempt n of `s`, judged by the request `r` Odoo records it in.
 * `retirable` only when Odoo records every bill of the request's job back among
 * the approved ones (status cleared, or held) at the attempt the request holds,
 * still recording that request (a bill Odoo no longer has counts as not back).
 */
export function requestMemberVerdict(s: BillSnapshot, r: RequestFacts): AttemptVerdict {
  const of = `it is recorded as one of the transfers of payment ${r.pid}`;
  const v = r.verdict;
  if (v.kind === 'may_be_at_bank') return { kind: 'may_be_at_bank', evidence: `${of}, and of that request: ${v.evidence}` };
  if (!provenMember(s, r)) {
    const state = v.kind === 'closed' ? `which ${v.proof.replace(/^the ledger records it/, 'the ledger records')}` : 'whose job ended without reaching the bank';
    return {
      kind: 'may_be_at_bank',
      evidence: `${of}, ${state}, but Redis holds no job of that request listing this bill's attempt ${s.bill.attempt}, so stetpay cannot prove the bill's transfer was only in it (Odoo's record alone may have been changed by hand)`,
    };
  }
  if (v.kind === 'closed') return v;
  const notOut = (r.job?.bills ?? []).filter(
    (m) => !r.members.some((o) => o.billId === m.billId && o.attempt === m.attempt && isOpenForRun(o.status) && o.paymentInformationId === r.pid),
  );
  if (notOut.length) {
    return {
      kind: 'may_be_at_bank',
      evidence: `${of}, which was never sent (its job ended without reaching the bank), but bill${notOut.length > 1 ? 's' : ''} ${notOut.map((m) => m.billName).join(', ')} of it ${notOut.length > 1 ? 'are' : 'is'} not back among the approved ones: stetpay retires a request only when none of its bills may still be sent under it (clear their statuses too)`,
    };
  }
  return v;
}
