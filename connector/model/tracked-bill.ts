import type { BillStatus } from './bill-status.js';

/**
 * A bill stetpay has already taken in hand, as read back from Odoo's `x_stet_*`
 * fields: what status sync, the sweeper, cancel and the report work from.
 */
export interface TrackedBill {
  billId: number;
  /** Bill number, e.g. `BILL/2026/11/0042`. */
  name: string;
  supplierName: string | null;
  /** Only when read with `withIban` (the report); null otherwise. */
  supplierIban: string | null;
  currency: string;
  amountTotal: number;
  amountResidual: number;
  /** Odoo's `payment_state` (paid, in_payment, not_paid, partial, ...). */
  paymentState: string;
  status: BillStatus | null;
  bankStatus: string | null;
  reason: string | null;
  endToEndId: string | null;
  paymentInformationId: string | null;
  resourceId: string | null;
  consentUrl: string | null;
  requestedExecutionDate: string | null;
  attempt: number;
  /** `x_stet_closed_attempt`: the highest attempt known never to be paid (0: none; readTrackedBills always sets it). */
  closedAttempt?: number;
  /** `YYYY-MM-DD HH:MM:SS` UTC */
  updatedAt: string | null;
  /** `x_stet_consent_deadline`, `YYYY-MM-DD HH:MM:SS` UTC: when the bank stops waiting for consent (readTrackedBills sets it). */
  consentDeadline?: string | null;
  /** The bank's execution date (YYYY-MM-DD) once executed, when known (report column; optional). */
  executedDate?: string | null;
  /** The Verification of Payee result its payment was decided under (`MTCH`, `CMTC, confirmed by NAME`...), when read with `withIban`. */
  payeeCheck?: string | null;
  /** The amount sent to the bank, in cents, when known (report; else derived from residual/total). */
  amountCents?: number | null;
}
