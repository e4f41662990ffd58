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
}

/** One bill's new state, and optionally the chatter note that explains it. */
export interface BillUpdate {
  billId: number;
  values: StetFieldValues;
  /** Plain text for the bill's chatter (audit trail): what was sent, when, the bank's answer. */
  note?: string;
}
