import { BILL_STATUSES } from '../model/bill-status.js';

/** One `x_stet_*` field stetpay adds to account.move (docs/odoo.md), as ir.model.fields takes it. */
export interface StetFieldDefinition {
  name: string;
  ttype: 'boolean' | 'char' | 'text' | 'selection' | 'date' | 'datetime' | 'integer' | 'float' | 'many2one' | 'one2many';
  label: string;
  help: string;
  selection?: readonly (readonly [string, string])[];
  /** A related field (`x_stet_payee_check_id.x_...`): not stored, read-only, same type as its target. */
  related?: string;
  /** many2one, one2many: the model pointed at. */
  relation?: string;
  /** one2many: the many2one on `relation` pointing back. */
  relationField?: string;
  /** many2one: what the record's link becomes when the record pointed at is deleted. */
  onDelete?: 'set null' | 'cascade' | 'restrict';
}

const STATUS_LABELS: Record<string, string> = {
  queued: 'Queued',
  submitted: 'Waiting for bank approval',
  accepted: 'Accepted by the bank',
  executed: 'Executed',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  invalid: 'Not sent (invalid)',
  needs_review: 'Needs review',
  expired: 'Expired at the bank',
  exported: 'Exported to a pain.001 file',
  withdrawn: 'Not sent (bill changed)',
  held: 'Held: a person must act',
};

export const STET_FIELDS: readonly StetFieldDefinition[] = [
  { name: 'x_stet_approved', ttype: 'boolean', label: 'Approved for bank payment', help: 'Tick to let stetpay pay this bill by SEPA transfer in its next run.' },
  { name: 'x_stet_status', ttype: 'selection', label: 'Bank payment status', help: 'Where stetpay is with this payment. stetpay alone sets it: to send a rejected, invalid, withdrawn or cancelled payment again, run stetpay retry with the bill number.', selection: BILL_STATUSES.map((s) => [s, STATUS_LABELS[s] ?? s] as const) },
  { name: 'x_stet_bank_status', ttype: 'char', label: 'Bank status code', help: "The bank's STET status code (ACTC, ACSC, RJCT, ...)." },
  { name: 'x_stet_status_reason', ttype: 'text', label: 'Bank payment reason', help: 'Why the payment is in this status, and what to do.' },
  { name: 'x_stet_end_to_end_id', ttype: 'char', label: 'End-to-end id', help: 'The SEPA end-to-end id the supplier sees on the transfer.' },
  { name: 'x_stet_payment_information_id', ttype: 'char', label: 'Payment information id', help: 'The SEPA payment information id.' },
  { name: 'x_stet_resource_id', ttype: 'char', label: 'Bank resource id', help: "The bank's id of the payment request." },
  { name: 'x_stet_consent_url', ttype: 'char', label: 'Approve at the bank', help: "The link where the signatory approves the payment at the bank." },
  { name: 'x_stet_requested_execution_date', ttype: 'date', label: 'Requested execution date', help: 'The date asked of the bank.' },
  { name: 'x_stet_attempt', ttype: 'integer', label: 'Payment attempt', help: 'Raised by a resubmission after a rejection; new ids each attempt.' },
  { name: 'x_stet_updated_at', ttype: 'datetime', label: 'Bank payment updated', help: 'When stetpay last wrote to this bill.' },
  { name: 'x_stet_request', ttype: 'text', label: 'Reserved bank request', help: 'The exact request stetpay will send to the bank for this attempt, recorded when it was reserved; nothing else is ever sent under its ids.' },
  { name: 'x_stet_request_digest', ttype: 'char', label: 'Reserved request digest', help: 'SHA-256 of the reserved request: the workers send a request only when its digest matches this one.' },
  { name: 'x_stet_reserved_iban', ttype: 'char', label: 'Reserved recipient IBAN', help: 'The account the payment goes to, as reserved: a bill whose recipient account changes afterwards is not sent.' },
  { name: 'x_stet_reserved_amount', ttype: 'float', label: 'Reserved amount', help: 'The amount the payment sends, as reserved: a bill whose amount due changes afterwards is not sent.' },
  { name: 'x_stet_reserved_currency', ttype: 'char', label: 'Reserved currency', help: 'The currency of the reserved amount.' },
  { name: 'x_stet_closed_attempt', ttype: 'integer', label: 'Closed attempt', help: 'The highest payment attempt stetpay knows never reached the bank or was refused for good by it: a new attempt is sent only after the current one is closed.' },
  { name: 'x_stet_consent_deadline', ttype: 'datetime', label: 'Approve at the bank before', help: "When the bank stops waiting for the signatory's approval of this payment; after that it rejects it (NOAS) and nothing is paid." },
  { name: 'x_stet_request_members', ttype: 'text', label: 'Transfers of the bank request', help: 'For a request holding several transfers (one consent for all): the end-to-end ids of its transfers, in the order sent, recorded at reservation; empty for a single transfer.' },
];

export const STET_FIELD_NAMES = STET_FIELDS.map((f) => f.name);
