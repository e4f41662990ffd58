import { expect } from 'chai';
import type { BankPaymentStatus } from '../../worker/interfaces/bank-port.js';
import type { WritebackItem } from '../../worker/writeback/writeback-queue.js';
import type { LedgerEntry } from '../../worker/ledger/ledger-entry.js';
import { checkConsentedPayment } from '../../worker/sync/consent-check.js';

const PID = 'SPP-PCR9JB-42-1';
const NOW = Date.parse('2026-12-03T09:15:00Z');

function deps(entry: Partial<LedgerEntry> | null, status: BankPaymentStatus) {
  const pushed: WritebackItem[] = [];
  const gets: string[] = [];
  const full = entry && ({ paymentInformationId: PID, state: 'sent', token: '', claimedAt: 0, uncertain: false, claims: 1, updatedAt: NOW, ...entry } as LedgerEntry);
  return {
    pushed,
    gets,
    d: {
      ledger: { get: async () => full },
      bank: { getPaymentRequest: async (rid: string) => (gets.push(rid), status) },
      writeback: { push: async (i: WritebackItem | WritebackItem[]) => void pushed.push(...(Array.isArray(i) ? i : [i])) },
    },
  };
}

describe('consent check without Odoo (worker/sync/consent-check)', () => {
  it('CONSENT-QUICK-01 consent given (ACSP): one GET, the bill accepted through the write-back, only if still queued or submitted', async () => {
    const { d, pushed, gets } = deps({ billId: 42, endToEndId: 'E2E-42-1', resourceId: 'PR-1' }, { paymentInformationStatus: 'ACSP' });
    expect(await checkConsentedPayment(d as never, PID, () => NOW)).to.deep.equal({ kind: 'recorded', billId: 42, status: 'accepted' });
    expect(gets).to.deep.equal(['PR-1']);
    expect(pushed).to.deep.equal([
      {
        update: {
          billId: 42,
          values: { x_stet_status: 'accepted', x_stet_bank_status: 'ACSP', x_stet_status_reason: false, x_stet_updated_at: '2026-12-03 09:15:00' },
          note: 'stetpay: bank status of payment E2E-42-1 is now ACSP: accepted.',
        },
        onlyIfStatus: ['queued', 'submitted'],
      },
    ]);
  });

  it('CONSENT-QUICK-02 everything else is the full sync\'s: refused (RJCT), executed (ACSC), a confirmation to make, several transfers, no resource id yet; nothing written', async () => {
    const cases: [Partial<LedgerEntry>, BankPaymentStatus][] = [
      [{ billId: 42, resourceId: 'PR-1' }, { paymentInformationStatus: 'RJCT', statusReasonInformation: 'CUST' }],
      [{ billId: 42, resourceId: 'PR-1' }, { paymentInformationStatus: 'ACSC' }],
      [{ billId: 42, resourceId: 'PR-1' }, { paymentInformationStatus: 'ACCP', confirmationLink: true }],
      [{ billId: 42, resourceId: 'PR-1' }, { paymentInformationStatus: 'ACSP', transactions: [{ endToEndId: 'a' }, { endToEndId: 'b' }] }],
      [{ billId: 42, state: 'sending' }, { paymentInformationStatus: 'ACSP' }],
    ];
    for (const [entry, status] of cases) {
      const { d, pushed } = deps(entry, status);
      expect(await checkConsentedPayment(d as never, PID, () => NOW), JSON.stringify(status)).to.deep.equal({ kind: 'sync' });
      expect(pushed).to.deep.equal([]);
    }
  });
});
