/**
 * One row of the reconciliation report per payment, built from the bills
 * stetpay tracks (read back from Odoo). Pure functions: no I/O, no clock.
 */
import type { BillStatus, TrackedBill } from '../../connector/model/index.js';
import { formatCents, toCents } from '../../connector/rules/money.js';

export interface ReportRow {
  billId: number;
  /** Bill number, e.g. `BILL/2026/11/0042`. */
  billNumber: string;
  supplier: string;
  /** Supplier IBAN with every character but the last four replaced by `*` (see maskIban). */
  supplierIban: string;
  /** Integer cents. */
  amountCents: number;
  /** `1234.56`: cents with a '.' decimal point, no grouping. */
  amount: string;
  currency: string;
  requestedExecutionDate: string;
  executedDate: string;
  endToEndId: string;
  paymentInformationId: string;
  resourceId: string;
  status: BillStatus;
  /** The Verification of Payee result of the recipient account (MTCH, CMTC, NMTC, NOAP; who confirmed a payee), '' when never checked. */
  payeeCheck: string;
  /** Raw STET code (ACSC, RJCT, ...). */
  bankStatus: string;
  reason: string;
  /** `YYYY-MM-DD HH:MM:SS`, UTC. */
  updatedAt: string;
}

/**
 * Masks an IBAN but for its last four characters, keeping its length so the
 * country's format stays recognisable: `FR7630001007941234567890185` ->
 * `***********************0185`. Spaces are removed first; four characters or
 * fewer are masked entirely.
 */
export function maskIban(iban: string | null | undefined): string {
  if (!iban) return '';
  const s = iban.replace(/\s+/g, '').toUpperCase();
  if (s.length <= 4) return '*'.repeat(s.length);
  return '*'.repeat(s.length - 4) + s.slice(-4);
}

/**
 * Masks every IBAN written inside a text (a reason may quote the account,
 * spaced in groups of four or not), the same way as the IBAN column: the
 * report travels by e-mail, Odoo keeps the full text.
 */
export function maskIbansIn(text: string): string {
  return text.replace(/\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g, (m) => {
    const compact = m.replace(/ /g, '');
    return compact.length >= 15 ? maskIban(compact) : m;
  });
}

/** The amount sent: the recorded one, else the residual while unpaid, else the total (cents as the payment rules count them). */
function paymentCents(b: TrackedBill): number {
  if (typeof b.amountCents === 'number') return b.amountCents;
  return toCents(b.amountResidual > 0 ? b.amountResidual : b.amountTotal);
}

/** One row per bill stetpay has taken in hand (bills with no stetpay status are left out), in bill-number order. */
export function toReportRows(bills: readonly TrackedBill[]): ReportRow[] {
  return bills
    .filter((b): b is TrackedBill & { status: BillStatus } => b.status !== null)
    .map((b) => {
      const cents = paymentCents(b);
      return {
        billId: b.billId,
        billNumber: b.name,
        supplier: b.supplierName ?? '',
        supplierIban: maskIban(b.supplierIban),
        amountCents: cents,
        amount: formatCents(cents),
        currency: b.currency,
        requestedExecutionDate: b.requestedExecutionDate ?? '',
        executedDate: b.executedDate ?? '',
        endToEndId: b.endToEndId ?? '',
        paymentInformationId: b.paymentInformationId ?? '',
        resourceId: b.resourceId ?? '',
        status: b.status,
        payeeCheck: b.payeeCheck ?? '',
        bankStatus: b.bankStatus ?? '',
        reason: maskIbansIn(b.reason ?? ''),
        updatedAt: b.updatedAt ?? '',
      };
    })
    .sort((a, b) => (a.billNumber < b.billNumber ? -1 : a.billNumber > b.billNumber ? 1 : a.billId - b.billId));
}
