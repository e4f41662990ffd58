import type { BillUpdate, TrackedBill } from '../../connector/model/index.js';
import type { OdooPort, ReadTrackedBillsOptions, RegisterPaymentOptions } from '../interfaces/odoo-port.js';

/** The Odoo connector's functions, which take the client first. */
export interface OdooConnectorFunctions<C> {
  writeBillUpdates(client: C, updates: BillUpdate[]): Promise<unknown>;
  readTrackedBills(client: C, opts: ReadTrackedBillsOptions): Promise<TrackedBill[]>;
  registerPayment(client: C, opts: RegisterPaymentOptions & { journalId: number }): Promise<unknown>;
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
    registerPayment(opts) {
      const journalId = opts.journalId ?? defaults.journalId;
      if (journalId === undefined) throw new Error(`stetpay: cannot register the payment of bill ${opts.billId}: no bank journal configured`);
      return fns.registerPayment(client, { ...opts, journalId });
    },
  };
}
