import type { Reason } from '../../connector/model/index.js';
import type { PayeeCheckStats } from './payee-checks.js';

/** One bill stetpay did not queue, and why (each reason names the bill and the rule); a `held` one is looked at again by every run. */
export interface RunProblem {
  billId: number;
  billName: string;
  status: 'invalid' | 'needs_review' | 'held';
  reasons: Pick<Reason, 'code' | 'rule' | 'message'>[];
}

/** An approved bill left for a later run, and the first day a run sends it. */
export interface NotYetPayable {
  billId: number;
  billName: string;
  dueDate: string | null;
  /** YYYY-MM-DD: from this day the execution date is inside the bank's window. */
  payableFrom: string;
}

/** At most this many not-yet-payable bills are listed (all are counted). */
export const NOT_YET_PAYABLE_LISTED = 50;

/** What one `stetpay run` did. `--json` prints it as the last line. */
export interface RunSummary {
  dryRun: boolean;
  /** Approved bills not yet taken in hand, those due beyond the bank's window included (counted, not read). */
  bills: number;
  /** Bills per status this run recorded in Odoo (`queued`, `invalid`, `needs_review`, `held`). */
  byStatus: Record<string, number>;
  /** Approved bills left for a later run: due beyond the bank's window (NWM-04). Nothing recorded on them. */
  notYetPayable: number;
  /** The first of them by due date (at most NOT_YET_PAYABLE_LISTED), each with the day it becomes payable. */
  notYetPayableBills: NotYetPayable[];
  /** Bills found already taken in hand (a stetpay status set since they were searched): left alone. */
  alreadyTaken: number;
  /** Jobs handed to the queue (a dry run: 0). */
  enqueued: number;
  /** Of them, payments reserved for the signatory (`on-signatory`): POSTed when the signatory opens each, not by the workers. */
  forSignatory: number;
  /** Amount queued, in cents. */
  queuedCents: number;
  invalid: RunProblem[];
  /** Settings that leave a check to the bank (e.g. no registered-beneficiary list for NWM-17). */
  warnings: string[];
  /** Bill ids queued by this run (what `--wait` waits for). */
  queuedBillIds: number[];
  /** Verification of Payee this run (absent with vop.mode off or a dry run). */
  payeeChecks?: PayeeCheckStats;
  odooCalls: number;
  durationMs: number;
}

export function emptySummary(dryRun: boolean): RunSummary {
  return { dryRun, bills: 0, byStatus: {}, notYetPayable: 0, notYetPayableBills: [], alreadyTaken: 0, enqueued: 0, forSignatory: 0, queuedCents: 0, invalid: [], warnings: [], queuedBillIds: [], odooCalls: 0, durationMs: 0 };
}

export function countStatus(summary: RunSummary, status: string, n = 1): void {
  summary.byStatus[status] = (summary.byStatus[status] ?? 0) + n;
}
