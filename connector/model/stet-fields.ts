import type { BillStatus } from './bill-status.js';

/**
 * The `x_stet_*` fields stetpay adds to `account.move` (created by `stetpay install`).
 * Values as written over XML-RPC: `false` clears a field (Odoo never takes null).
 */
export interface StetFieldValues {
  x_stet_status?: BillStatus | false;
  x_stet_bank_status?: string | false;
  x_stet_status_reason?: string | false;
  x_stet_end_to_end_id?: string | false;
  x_stet_payment_information_id?: string | false;
  x_stet_resource_id?: string | false;
  x_stet_consent_url?: string | false;
  /** YYYY-MM-DD */
  x_stet_requested_execution_date?: string | false;
  x_stet_attempt?: number;
  /** `YYYY-MM-DD HH:MM:SS` in UTC, as Odoo stores datetimes. Set by the write-back. */
  x_stet_updated_at?: string | false;
  /** The exact STET request body of the current attempt (JSON, without consent links), written at reservation. */
  x_stet_request?: string | false;
  /** SHA-256 (hex) of `x_stet_request`. */
  x_stet_request_digest?: string | false;
  /** What a person sees was reserved: the creditor IBAN (normalised), the amount, the currency. */
  x_stet_reserved_iban?: string | false;
  x_stet_reserved_amount?: number | false;
  x_stet_reserved_currency?: string | false;
  /** The highest attempt stetpay knows is not at the bank and will never be sent under its ids. */
  x_stet_closed_attempt?: number;
  /** The Verification of Payee check (`x_stet_payee_check` id) the payment was decided under; false: none made. */
  x_stet_payee_check_id?: number | false;
  /** `YYYY-MM-DD HH:MM:SS` UTC: when the bank stops waiting for the signatory's consent (NOAS after it). */
  x_stet_consent_deadline?: string | false;
  /** A request of several transfers: their end-to-end ids in the order sent, comma-separated (false: a single transfer). */
  x_stet_request_members?: string | false;
}

/**
 * `YYYY-MM-DD HH:MM:SS` in UTC, as Odoo stores and expects datetimes over
 * XML-RPC (naive, read as UTC): the one formatter for `x_stet_updated_at`,
 * domain bounds and the times quoted in chatter notes.
 */
export function odooNow(d: Date = new Date()): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** The fields of StetFieldValues that hold a record's database id (many2one). */
export const STET_ID_FIELDS: readonly (keyof StetFieldValues)[] = ['x_stet_payee_check_id'];

/** One bill's new state, and optionally the chatter note that explains it. */
export interface BillUpdate {
  billId: number;
  values: StetFieldValues;
  /** Plain text for the bill's chatter (audit trail): what was sent, when, the bank's answer. */
  note?: string;
}
