/**
 * The check after a consent redirect, without reading Odoo: the payment's
 * resource id comes from the ledger (Redis), its status from one GET at the
 * bank, and the bill's new status goes through the batched write-back, so a
 * morning of consents costs Odoo one write per batch, not several calls each.
 * The signatory's page shows the bank's answer at once.
 *
 * Only the common case is taken here: one transfer, the bank now accepting it
 * (consent given) and no confirmation call needed. Anything else (rejected,
 * executed already, a request of several transfers, a payment whose answer
 * the ledger has not recorded yet) is left to the full status sync, which
 * reads the bill in Odoo and decides with everything it knows. The worker
 * records the bank's 201 in the ledger before it queues the bill's update: in
 * the moment between, this acceptance may be queued first and the bill end
 * `submitted`; the next sync then records it accepted (nothing is lost).
 */
import { bankStatusCode, billStatusFromStet } from '../../connector/mapping/stet-status.js';
import { odooNow } from '../../connector/model/index.js';
import type { BankPaymentStatus, BankPort } from '../interfaces/bank-port.js';
import type { PaymentLedger } from '../ledger/payment-ledger.js';
import type { WritebackQueue } from '../writeback/writeback-queue.js';
import { bankStatusNote } from './sync-statuses.js';

export interface ConsentCheckDeps {
  bank: Pick<BankPort, 'getPaymentRequest'>;
  ledger: Pick<PaymentLedger, 'get'>;
  writeback: Pick<WritebackQueue, 'push'>;
}

/** `recorded`: the bill's acceptance is on its way to Odoo; `sync`: the full sync must decide. */
export type ConsentCheckOutcome = { kind: 'recorded'; billId: number; status: 'accepted' } | { kind: 'sync' };

export async function checkConsentedPayment(deps: ConsentCheckDeps, paymentId: string, now: () => number = Date.now): Promise<ConsentCheckOutcome> {
  const entry = await deps.ledger.get(paymentId);
  if (!entry?.resourceId || entry.billId === undefined || entry.state !== 'sent') return { kind: 'sync' };
  const st: BankPaymentStatus = await deps.bank.getPaymentRequest(entry.resourceId, {});
  if ((st.transactions?.length ?? 0) > 1 || st.confirmationLink) return { kind: 'sync' };
  const status = billStatusFromStet(st.paymentInformationStatus, st.transactionStatus);
  if (status !== 'accepted') return { kind: 'sync' };
  const code = bankStatusCode(st.paymentInformationStatus, st.transactionStatus);
  await deps.writeback.push({
    update: {
      billId: entry.billId,
      values: { x_stet_status: 'accepted', x_stet_bank_status: code ?? false, x_stet_status_reason: false, x_stet_updated_at: odooNow(new Date(now())) },
      note: bankStatusNote(entry.endToEndId ?? paymentId, code, st.statusReasonInformation, 'accepted'),
    },
    // Never backwards: only a bill still waiting for its answer or its consent (its 201 may still be in this batch).
    onlyIfStatus: ['queued', 'submitted'],
  });
  return { kind: 'recorded', billId: entry.billId, status: 'accepted' };
}
