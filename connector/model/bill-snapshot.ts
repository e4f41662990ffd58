/**
 * Everything the pure mapping needs to know about one approved bill, as read
 * from Odoo in batched calls (connector/odoo/collect). Plain data, no Odoo
 * wire quirks: Odoo's `false` becomes `null`, many2one pairs become ids/names.
 */
export interface BillSnapshot {
  /** Odoo database name: part of the deterministic payment ids. */
  database: string;
  bill: BillData;
  /** The bill's commercial partner (the supplier), null when Odoo has none. */
  supplier: SupplierData | null;
  /** The bill's recipient bank account (`partner_bank_id`), null when not set. */
  supplierAccount: SupplierAccountData | null;
  /** The paying company and its bank journal account, null when none is configured. */
  debtor: DebtorData | null;
  /** The company's choice in payments.debtorAccounts when no bank journal of the company matches it (debtor is null then). */
  debtorChoiceNotFound?: string;
}

export interface BillData {
  id: number;
  /** Bill number, e.g. `BILL/2026/11/0042`. */
  name: string;
  /** Vendor's own invoice number (`ref`). */
  ref: string | null;
  /** Payment communication (`payment_reference`): may hold an RF creditor reference. */
  paymentReference: string | null;
  /** `in_invoice`, `in_refund`, ... */
  moveType: string;
  /** `draft`, `posted`, `cancel` */
  state: string;
  /** `not_paid`, `partial`, `paid`, `in_payment`, `blocked` (18), ... */
  paymentState: string;
  /** ISO 4217 code of the bill's currency. */
  currency: string;
  /** Odoo's float `amount_residual`, in the bill's currency; converted to cents by the rules. */
  amountResidual: number;
  amountTotal: number;
  /** `invoice_date_due`, YYYY-MM-DD, or null. */
  dueDate: string | null;
  invoiceDate: string | null;
  companyId: number;
  /**
   * `x_stet_status` as read with the page: set means stetpay (another run) or
   * a person took the bill in hand since the ids were searched; the run leaves it.
   */
  stetStatus?: string | null;
  /** `x_stet_status_reason` of a `held` bill (else null): a hold unchanged since is not written again. */
  stetReason?: string | null;
  /** The bill's commercial partner id (supplier), to check the bank account belongs to it. */
  commercialPartnerId: number | null;
  /** `x_stet_attempt`: 0 before the first submission; each attempt stetpay reserves increments it. */
  attempt: number;
  /** `x_stet_closed_attempt`: the highest attempt known never to be paid (0: none). Optional for callers mapping a bill of their own. */
  closedAttempt?: number;
  /**
   * `x_stet_payment_information_id`: the request attempt n was reserved in (for a request of several
   * transfers, `SPB-…`). Odoo's word only: the run trusts it to prove an attempt closed only with Redis's record of that request.
   */
  paymentInformationId?: string | null;
}

export interface SupplierData {
  id: number;
  name: string;
  /** ISO 3166 alpha-2 of the supplier's country, or null. */
  countryCode: string | null;
  city: string | null;
  street: string | null;
  zip: string | null;
  vat: string | null;
}

export interface SupplierAccountData {
  id: number;
  /** `acc_number` as typed in Odoo (may contain spaces, lower case). */
  accountNumber: string;
  /** `acc_holder_name` or null (the supplier's name is used then). */
  holderName: string | null;
  /** The bank's BIC (`bank_id.bic`), or null. */
  bic: string | null;
  /** Owner of the account (`partner_id`), to compare with the bill's commercial partner. */
  partnerId: number | null;
  /** `allow_out_payment` (Odoo 16+: trusted / "Send Money"); null when the version has no such field. */
  trusted: boolean | null;
  active: boolean;
}

export interface DebtorData {
  companyId: number;
  /** The company's name: the debtor and initiating party. */
  name: string;
  countryCode: string | null;
  /** The company's bank journal account IBAN (`bank_account_id.acc_number`). */
  iban: string;
  bic: string | null;
  /** The journal id, for registering the payment when executed. */
  journalId: number;
}
