import type { BillStatus, BillUpdate, TrackedBill } from '../../connector/model/index.js';

/** Options of {@link OdooPort.readTrackedBills}. */
export interface ReadTrackedBillsOptions {
  statuses?: BillStatus[];
  billIds?: number[];
  /** Also read the supplier IBANs (one more Odoo call). @defaultValue false */
  withIban?: boolean;
}

/** Options of {@link OdooPort.registerPayment}. */
export interface RegisterPaymentOptions {
  billId: number;
  journalId?: number;
  /** YYYY-MM-DD */
  paymentDate: string;
  /** The payment's end-to-end id, so the accountant finds it on the statement. */
  memo: string;
}

/**
 * The narrow part of Odoo the workers need (batched calls only). The Odoo
 * connector's functions take the client first; bind them with
 * `bindOdooPort` (worker/adapters/odoo-port.ts).
 */
export interface OdooPort {
  writeBillUpdates(updates: BillUpdate[]): Promise<void>;
  readTrackedBills(opts: ReadTrackedBillsOptions): Promise<TrackedBill[]>;
  registerPayment(opts: RegisterPaymentOptions): Promise<unknown>;
}
