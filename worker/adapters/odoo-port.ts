import type { BillUpdate, ReservedBill, TrackedBill } from '../../connector/model/index.js';
import type { OdooPort, ReadTrackedBillsOptions, RegisterPaymentOptions, RegisterPaymentOutcome } from '../interfaces/odoo-port.js';

/** The Odoo connector's functions, which take the client first. */
export interface OdooConnectorFunctions<C> {
  writeBillUpdates(client: C, updates: BillUpdate[]): Promise<unknown>;
  readTrackedBills(client: C, opts: ReadTrackedBillsOptions): Promise<TrackedBill[]>;
  readReservedBills(client: C, billIds: number[], opts?: { withRequest?: boolean }): Promise<ReservedBill[]>;
  registerPayments(client: C, items: (RegisterPaymentOptions & { journalId: number })[]): Promise<RegisterPaymentOutcome[]>;
}

/**
 * Binds the connector's functions to a client. `journalId`: the company's
 * bank journal, used when a registration names none.
 */
export function bindOdooPort<C>(client: C, fns: OdooConnectorFunctions<C>, defaults: { journalId?: number } = {}): OdooPort {
  return {
    async writeBillUpdates(updates) {
      await fns.writeBillUpdates(client, updates);
    },
    readTrackedBills: (opts) => fns.readTrackedBills(client, opts),
    readReservedBills: (billIds, opts) => fns.readReservedBills(client, billIds, opts),
    async registerPayments(items) {
      const withJournal = items.map((it) => {
        const journalId = it.journalId ?? defaults.journalId;
        if (journalId === undefined) throw new Error(`stetpay: cannot register the payment of bill ${it.billId}: no bank journal configured`);
        return { ...it, journalId };
      });
      return fns.registerPayments(client, withJournal);
    },
  };
}
