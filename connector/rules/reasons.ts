/**
 * Why a bill is not paid: a catalog of stable codes (they go into Odoo's
 * `x_stet_status_reason`, the reports and the tests: never rename one), each
 * with the rule it enforces, the field at fault and the clerk's message.
 * Messages name the bill and say what to fix; `{placeholders}` are filled by
 * {@link makeReason}. docs/rules.md has one row per code (a test checks both ways).
 */

/**
 * Why a bill cannot be paid (or not yet). `code` is stable (reports, tests,
 * the README's table); `rule` names the rule (e.g. `NWM-04`, `SEPA-IBAN`);
 * `message` names the bill and says what the clerk must fix.
 */
export interface Reason {
  code: string;
  rule: string;
  field: string;
  message: string;
}

export interface ReasonDefinition {
  /** `NWM-xx` for a bank rule, `SEPA-xxx` for a SEPA rule, `ODOO-xxx` for a bill-state rule, `EPC-VOP` for a Verification of Payee hold. */
  readonly rule: string;
  /** The snapshot field at fault (dotted path). */
  readonly field: string;
  /** The clerk's message, after "Bill <name>: ". */
  readonly message: string;
}

export const REASONS = {
  NOT_A_VENDOR_BILL: {
    rule: 'ODOO-MOVE-TYPE', field: 'bill.moveType',
    message: 'it is a {moveType}, not a vendor bill; only vendor bills are paid (deduct refunds from a bill by reconciling them first).',
  },
  BILL_NOT_POSTED: {
    rule: 'ODOO-STATE', field: 'bill.state',
    message: 'it is in state {state}; post (confirm) the bill before approving it for payment.',
  },
  BILL_CANCELLED: {
    rule: 'ODOO-STATE', field: 'bill.state',
    message: 'it is cancelled; remove the payment approval or reset the bill to draft and post it again.',
  },
  BILL_ALREADY_PAID: {
    rule: 'ODOO-PAYMENT-STATE', field: 'bill.paymentState',
    message: 'it is already {paymentState}; nothing to pay (remove the payment approval).',
  },
  BILL_BLOCKED: {
    rule: 'ODOO-PAYMENT-STATE', field: 'bill.paymentState',
    message: 'its payment is blocked in Odoo; unblock it if it should be paid.',
  },
  BILL_REVERSED: {
    rule: 'ODOO-PAYMENT-STATE', field: 'bill.paymentState',
    message: 'it was reversed by a credit note; nothing to pay.',
  },
  BILL_PAYMENT_STATE_UNKNOWN: {
    rule: 'ODOO-PAYMENT-STATE', field: 'bill.paymentState',
    message: "its payment state is '{paymentState}', and stetpay only pays bills not paid or partly paid: if it still needs paying, pay it another way; if not, untick 'Approved for bank payment'.",
  },
  CURRENCY_NOT_EUR: {
    rule: 'NWM-02', field: 'bill.currency',
    message: 'it is in {currency}; the bank only pays in EUR by SEPA transfer: pay it another way.',
  },
  AMOUNT_INVALID: {
    rule: 'SEPA-AMOUNT', field: 'bill.amountResidual',
    message: "its amount due ({amount}) is not an amount stetpay can send: correct the bill's lines in Odoo so that it shows the amount due.",
  },
  AMOUNT_ZERO: {
    rule: 'SEPA-AMOUNT', field: 'bill.amountResidual',
    message: 'nothing is left to pay (amount due 0.00); remove the payment approval.',
  },
  AMOUNT_NEGATIVE: {
    rule: 'SEPA-AMOUNT', field: 'bill.amountResidual',
    message: 'its amount due is negative ({amount} EUR): the supplier owes you; it cannot be paid by transfer.',
  },
  AMOUNT_TOO_LARGE: {
    rule: 'SEPA-AMOUNT', field: 'bill.amountResidual',
    message: 'its amount due {amount} EUR is above the SEPA maximum of 999999999.99 EUR; split the payment.',
  },
  NO_SUPPLIER: {
    rule: 'SEPA-NAME', field: 'supplier',
    message: 'it has no vendor; set the vendor on the bill.',
  },
  SUPPLIER_NAME_MISSING: {
    rule: 'SEPA-NAME', field: 'supplier.name',
    message: "the supplier's name ('{name}') has no letters or digits a SEPA transfer can carry; set the account holder name on the supplier's bank account.",
  },
  NO_BANK_ACCOUNT: {
    rule: 'NWM-16', field: 'supplierAccount',
    message: "it has no recipient bank account; choose the supplier's bank account on the bill.",
  },
  BANK_ACCOUNT_ARCHIVED: {
    rule: 'NWM-16', field: 'supplierAccount.active',
    message: 'the supplier bank account {iban} is archived; choose an active account on the bill.',
  },
  ACCOUNT_NOT_SUPPLIERS: {
    rule: 'STETPAY-BENEFICIARY', field: 'supplierAccount.partnerId',
    message: "the recipient bank account {iban} does not belong to the bill's vendor; choose the vendor's own bank account on the bill.",
  },
  ACCOUNT_NOT_TRUSTED: {
    rule: 'STETPAY-BENEFICIARY', field: 'supplierAccount.trusted',
    message: "the supplier bank account {iban} is not trusted in Odoo; have it checked and mark it trusted (Send Money) on the supplier's bank account.",
  },
  BENEFICIARY_NOT_REGISTERED: {
    rule: 'NWM-17', field: 'supplierAccount.accountNumber',
    message: "the supplier bank account {iban} is not a registered beneficiary at the bank; register it in the bank's online banking, then add it to stetpay's list of registered beneficiaries.",
  },
  IBAN_FORMAT: {
    rule: 'SEPA-IBAN', field: 'supplierAccount.accountNumber',
    message: "the supplier bank account '{iban}' is not an IBAN ({detail}); correct it on the supplier's bank account.",
  },
  IBAN_LENGTH: {
    rule: 'SEPA-IBAN', field: 'supplierAccount.accountNumber',
    message: "the supplier bank account {iban} has a wrong length ({detail}); correct it on the supplier's bank account.",
  },
  IBAN_CHECKSUM: {
    rule: 'SEPA-IBAN', field: 'supplierAccount.accountNumber',
    message: "the supplier bank account {iban} has a wrong check digit ({detail}); correct it on the supplier's bank account.",
  },
  IBAN_COUNTRY_NOT_SEPA: {
    rule: 'SEPA-IBAN', field: 'supplierAccount.accountNumber',
    message: 'the supplier bank account {iban} is not in the SEPA area ({detail}); pay it another way.',
  },
  BIC_INVALID: {
    rule: 'NWM-19', field: 'supplierAccount.bic',
    message: "the supplier bank's BIC '{bic}' is not a valid BIC (8 or 11 characters); correct it on the bank, or clear it (a SEPA transfer does not need it).",
  },
  NO_DEBTOR_ACCOUNT: {
    rule: 'NWM-09', field: 'debtor',
    message: "the paying company has no bank account on its bank journal; set the company's IBAN on the bank journal (Accounting configuration).",
  },
  DEBTOR_IBAN_INVALID: {
    rule: 'NWM-09', field: 'debtor.iban',
    message: "the company's own bank account {iban} is not a valid SEPA IBAN ({detail}); correct it on the bank journal.",
  },
  DEBTOR_OUTSIDE_BANK: {
    rule: 'NWM-18', field: 'debtor.iban',
    message: "it would be paid from {iban}, an account this bank cannot debit (it debits only its client's accounts, IBANs starting {codes}); choose the company's account at this bank in payments.debtorAccounts, or as the first bank journal.",
  },
  DEBTOR_ACCOUNT_NOT_FOUND: {
    rule: 'NWM-09', field: 'debtor',
    message: "the paying account set for its company in payments.debtorAccounts ({choice}) is not one of that company's bank journals (by journal code or IBAN); correct the setting or the journal.",
  },
  DEBTOR_NAME_MISSING: {
    rule: 'SEPA-NAME', field: 'debtor.name',
    message: "the paying company's name has no letters or digits a SEPA transfer can carry; correct the company name.",
  },
  VOP_CLOSE_MATCH: {
    rule: 'EPC-VOP', field: 'supplierAccount.holderName',
    message: "held, not sent: the payee's bank holds the name '{matchedName}' for account {iban}, close to but not the name on the payment, '{name}' (Verification of Payee: close match). Check with the supplier, then either have the account holder name on the supplier's bank account set to '{matchedName}', or, if '{name}' is right, tick 'Payee confirmed' on the bill's payee check (Bank payment page); the next run pays the bill.",
  },
  VOP_NO_MATCH: {
    rule: 'EPC-VOP', field: 'supplierAccount.holderName',
    message: "held, not sent: the payee's bank says account {iban} is not held by '{name}' (Verification of Payee: no match); the IBAN may have been changed by a fraudster. Call the supplier on a number you already had (not one from the invoice), have the IBAN or the name on the supplier's bank account corrected, or, only if the supplier confirms this very account, tick 'Payee confirmed' on the bill's payee check (Bank payment page); the next run looks again.",
  },
  VOP_NOT_POSSIBLE: {
    rule: 'EPC-VOP', field: 'supplierAccount.accountNumber',
    message: "held, not sent: the payee's bank could not check the name '{name}' for account {iban} (Verification of Payee: check not possible, {detail}) and stetpay holds such payments (vop.notPossible: hold). Confirm the account with the supplier, then tick 'Payee confirmed' on the bill's payee check (Bank payment page), or wait: the next run asks again.",
  },
  VOP_UNAVAILABLE: {
    rule: 'EPC-VOP', field: 'supplierAccount.accountNumber',
    message: 'held, not sent: the Verification of Payee service gave no answer for account {iban} ({detail}) and stetpay holds such payments (vop.notPossible: hold). Nothing to do: the next run asks again.',
  },
  APPROVAL_MISSING: {
    rule: 'APPROVAL-01', field: 'approvals',
    message: "held, not sent: it is ticked 'Approved for bank payment' but nobody approved it with 'Approve for payment', which records who approved what; an approver opens the bill and uses Action > Approve for payment, and the next run pays it.",
  },
  APPROVAL_CHANGED: {
    rule: 'APPROVAL-02', field: 'approvals',
    message: "held, not sent: approved for {approved} by {approver} on {approvedOn}; now {now}: approve it again (Action > Approve for payment) if the new values are right.",
  },
  APPROVER_NOT_ALLOWED: {
    rule: 'APPROVAL-03', field: 'approvals',
    message: "held, not sent: approved by {approver}, who is not among the people who may approve payments (Odoo group {group}); someone of that group approves it with Action > Approve for payment.",
  },
  APPROVED_BY_AUTHOR: {
    rule: 'APPROVAL-04', field: 'approvals',
    message: "held, not sent: approved by {approver}, who created the bill; four eyes: another approver approves it with Action > Approve for payment.",
  },
  APPROVED_BY_ACCOUNT_CHANGER: {
    rule: 'APPROVAL-05', field: 'approvals',
    message: "held, not sent: approved by {approver}, who created, changed or set on the bill its recipient bank account {iban}; four eyes: another approver approves it with Action > Approve for payment.",
  },
  SECOND_APPROVAL_MISSING: {
    rule: 'APPROVAL-06', field: 'approvals',
    message: "held, not sent: {amount} is above {threshold}, so two different people must approve it; approved so far by {approvers} only: a second approver approves it with Action > Approve for payment.",
  },
  ACCOUNT_RECENTLY_CHANGED: {
    rule: 'APPROVAL-07', field: 'supplierAccount',
    message: "held, not sent: its recipient bank account {iban} was {change} {changedBy} on {changedOn} ({why}); call the supplier on a number you already had, then {confirmer} opens the bank account and uses Action > Confirm bank account; the next run pays it.",
  },
  NOT_YET_PAYABLE: {
    rule: 'NWM-04', field: 'bill.dueDate',
    message: 'it is due on {dueDate}, more than {maxDaysAhead} days ahead; nothing to do: it will be sent from {payableFrom}.',
  },
} as const satisfies Record<string, ReasonDefinition>;

export type ReasonCode = keyof typeof REASONS;

export const REASON_CODES = Object.freeze(Object.keys(REASONS) as ReasonCode[]);

export function isReasonCode(code: string): code is ReasonCode {
  return Object.hasOwn(REASONS, code);
}

/** Values for a message's `{placeholders}`. */
export type ReasonParams = Readonly<Record<string, string | number>>;

/**
 * The reason `code` for bill `billName`: `{code, rule, field, message}`, the
 * message starting "Bill <name>: ". A placeholder without a value reads `?`.
 */
export function makeReason(code: ReasonCode, billName: string, params: ReasonParams = {}): Reason {
  const def: ReasonDefinition = REASONS[code];
  const message = def.message.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    return value === undefined || value === '' ? '?' : String(value);
  });
  return { code, rule: def.rule, field: def.field, message: `Bill ${billName}: ${message}` };
}

/** The reasons as one line for `x_stet_status_reason`: `CODE: message | CODE: message`. */
export function formatReasons(reasons: readonly Reason[]): string {
  return reasons.map((r) => `${r.code}: ${r.message}`).join(' | ');
}
