import type { BillStatus, BillUpdate, ReservedBill, TrackedBill } from '../../connector/model/index.js';

/** Options of {@link OdooPort.readTrackedBills}. */
export interface ReadTrackedBillsOptions {
  statuses?: BillStatus[];
  billIds?: number[];
  /** Only the bills of these payments. */
  paymentInformationIds?: string[];
  /** Also read the supplier IBANs (one more Odoo call). @defaultValue false */
  withIban?: boolean;
  /** Only bills whose id is above this one (paging: with `limit`). */
  afterId?: number;
  /** At most this many bills, the lowest ids first. @defaultValue all */
  limit?: number;
}

/** One payment to register in {@link OdooPort.registerPayments}. */
export interface RegisterPaymentOptions {
  billId: number;
  journalId?: number;
  /** YYYY-MM-DD */
  paymentDate: string;
  /** The payment's end-to-end id, so the accountant finds it on the statement. */
  memo: string;
}

/** What became of one registration: done (now or before), or the error (nothing registered, or unknown: retry later). */
export type RegisterPaymentOutcome =
  | { billId: number; memo: string; ok: true; paymentId: number | null; alreadyPaid: boolean }
  | { billId: number; memo: string; ok: false; error: unknown };

/**
 * The narrow part of Odoo the workers need (batched calls only). The Odoo
 * connector's functions take the client first; bind them with
 * `bindOdooPort` (worker/adapters/odoo-port.ts).
 */
export interface OdooPort {
  writeBillUpdates(updates: BillUpdate[]): Promise<void>;
  readTrackedBills(opts: ReadTrackedBillsOptions): Promise<TrackedBill[]>;
  /** Reserved bills, what was reserved beside what the bill is now (a deleted bill is absent); the stored request only `withRequest`. */
  readReservedBills(billIds: number[], opts?: { withRequest?: boolean }): Promise<ReservedBill[]>;
  /** Registers executed payments in one batch, each at most once; one outcome per item, in order. */
  registerPayments(items: RegisterPaymentOptions[]): Promise<RegisterPaymentOutcome[]>;
}
