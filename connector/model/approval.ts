/**
 * A person's approval of one bill for payment, as Odoo keeps it (stetpay's own
 * model `x_stet_approval`, one record per approval, never changed): what was
 * approved (the snapshot) and who approved when (Odoo's `create_uid` and
 * `create_date`, which no caller can set).
 */
export interface ApprovalSnapshot {
  /** The bill's commercial partner (the supplier), or null. */
  supplierId: number | null;
  /** The recipient bank account (`partner_bank_id`), or null. */
  accountId: number | null;
  /** Its IBAN as the approver saw it (electronic format, no spaces, upper case), or null. */
  iban: string | null;
  /** Its holder name as the approver saw it, or null when empty. */
  holder: string | null;
  /** The amount due, in cents of `currency`. */
  amountCents: number;
  currency: string;
  /** The bill's state when approved (`posted`). */
  state: string;
}

export interface OdooPersonRef {
  id: number;
  name: string;
}

export interface ApprovalRecord extends ApprovalSnapshot {
  id: number;
  billId: number;
  /** Who approved: the record's creator. */
  approver: OdooPersonRef;
  /** When, `YYYY-MM-DD HH:MM:SS` UTC (the record's `create_date`). */
  approvedAt: string;
}

/** A person's confirmation that a supplier's bank account is theirs (x_stet_account_check). */
export interface AccountConfirmation {
  accountId: number;
  /** The IBAN and holder confirmed (as the account held them then). */
  iban: string | null;
  holder: string | null;
  by: OdooPersonRef;
  /** `YYYY-MM-DD HH:MM:SS` UTC. */
  at: string;
}
