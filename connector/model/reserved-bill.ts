import type { BillStatus } from './bill-status.js';

/** The bill's recipient bank account as it is now. */
export interface ReservedBillAccount {
  id: number;
  /** `acc_number`, normalised (upper case, no spaces). */
  iban: string;
  /** Owner of the account (`partner_id`). */
  partnerId: number | null;
  /** `allow_out_payment` (Odoo 16+); null when the version has no such field. */
  trusted: boolean | null;
  active: boolean;
}

/**
 * A bill stetpay reserved, read back to decide whether its payment may still
 * be sent: what was reserved (the `x_stet_*` record of the attempt) beside
 * what the bill is now. What the submit worker's gate, the sweeper, the export
 * and `stetpay cancel` / `retry` check.
 */
export interface ReservedBill {
  billId: number;
  /** Bill number, e.g. `BILL/2026/11/0042`. */
  name: string;
  moveType: string;
  /** `draft`, `posted`, `cancel` */
  state: string;
  paymentState: string;
  /** `x_stet_approved` */
  approved: boolean;
  /** Not flagged "to check" (16/17 `to_check` false, 18 `checked` true). */
  reviewed: boolean;
  status: BillStatus | null;
  paymentInformationId: string | null;
  endToEndId: string | null;
  resourceId: string | null;
  attempt: number;
  /** `x_stet_closed_attempt`: the highest attempt known never to be paid (0: none). */
  closedAttempt: number;
  /** YYYY-MM-DD */
  requestedExecutionDate: string | null;
  /** `x_stet_request_members`: a request of several transfers, their end-to-end ids in the order sent; null for a single transfer. */
  members?: string[] | null;
  /** `x_stet_request`: only when read with `withRequest` (it weighs about 1 KB); null when absent. */
  request: string | null;
  requestDigest: string | null;
  reservedIban: string | null;
  /** Odoo's float, as stored (compare in cents). */
  reservedAmount: number | null;
  reservedCurrency: string | null;
  /** The bill now. */
  currency: string;
  amountResidual: number;
  commercialPartnerId: number | null;
  account: ReservedBillAccount | null;
}
