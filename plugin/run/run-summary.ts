import type { Reason } from '../../connector/model/index.js';

/** One bill stetpay did not queue, and why (each reason names the bill and the rule). */
export interface RunProblem {
  billId: number;
  billName: string;
  status: 'invalid' | 'needs_review';
  reasons: Pick<Reason, 'code' | 'rule' | 'message'>[];
}

/** What one `stetpay run` did. `--json` prints it as the last line. */
export interface RunSummary {
  dryRun: boolean;
  /** Bills read from Odoo (approved, not yet taken in hand). */
  bills: number;
  /** Bills per status this run recorded in Odoo (`queued`, `invalid`, `needs_review`). */
  byStatus: Record<string, number>;
  /** Bills left for a later run: due beyond the bank's window (NWM-04). Nothing recorded. */
  notYetPayable: number;
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
  odooCalls: number;
  durationMs: number;
}

export function emptySummary(dryRun: boolean): RunSummary {
  return { dryRun, bills: 0, byStatus: {}, notYetPayable: 0, alreadyTaken: 0, enqueued: 0, forSignatory: 0, queuedCents: 0, invalid: [], warnings: [], queuedBillIds: [], odooCalls: 0, durationMs: 0 };
}

export function countStatus(summary: RunSummary, status: string, n = 1): void {
  summary.byStatus[status] = (summary.byStatus[status] ?? 0) + n;
}
