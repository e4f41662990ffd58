/**
 * Regressions for what the browser test uncovered, checked here without a
 * browser: the report quoted full IBANs inside reasons, and a rejection's
 * reason on the bill was a bare bank code.
 */
import { expect } from 'chai';
import { maskIbansIn, renderHtml, toReportRows, totalsByStatus } from '../../plugin/report/index.js';
import type { TrackedBill } from '../../connector/model/index.js';
import { finalStatusReason } from '../../worker/sync/final-status-reason.js';

describe('browser-test findings (pure regressions)', () => {
  it('REPORT-MASK masks an IBAN quoted in a reason, spaced or not, and leaves ids and codes alone', () => {
    expect(maskIbansIn('the recipient bank account FR76 3000 4744 1251 0747 8362 626 does not belong to the vendor'))
      .to.equal('the recipient bank account ***********************2626 does not belong to the vendor');
    expect(maskIbansIn('account DE89370400440532013000.')).to.equal('account ******************3000.');
    const plain = 'Refused (AM04, FF01) for SPE-PCR9JB-1-1, resource PR-1795585281741-3e6a11eedc6c, bill BILL/2026/11/0004';
    expect(maskIbansIn(plain)).to.equal(plain);
  });

  it('REPORT-MASK the HTML, CSV-ready rows and totals never carry a full IBAN from a reason', () => {
    const bill: TrackedBill = {
      billId: 4, name: 'BILL/2026/11/0004', supplierName: 'Société Nouvelle', supplierIban: 'FR7630004744125107478362626', currency: 'EUR',
      amountTotal: 10, amountResidual: 10, paymentState: 'not_paid', status: 'invalid', bankStatus: null,
      reason: "ACCOUNT_NOT_SUPPLIERS: the recipient bank account FR76 3000 4744 1251 0747 8362 626 does not belong to the bill's vendor",
      endToEndId: null, paymentInformationId: null, resourceId: null, consentUrl: null, requestedExecutionDate: null, attempt: 0, updatedAt: null,
    };
    const rows = toReportRows([bill]);
    expect(rows[0]!.reason).to.include('***********************2626').and.not.include('FR76');
    const html = renderHtml(rows, totalsByStatus(rows), { generatedAt: new Date('2026-03-02T08:00:00Z') });
    expect(html.replace(/\s+/g, '')).not.to.include('FR7630004744125107478362626');
  });

  it('SYNC-REASON a rejection or cancellation reads as a sentence with the bank codes and what to do', () => {
    // the status field is read-only on the form: the sentence names the command that clears it (issue 11)
    expect(finalStatusReason('rejected', 'RJCT', 'CUST', 'SPE-X-1-1', 'BILL/2026/11/0001')).to.equal(
      'The bank did not execute payment SPE-X-1-1 because the signatory refused it at the bank (bank status RJCT, reason CUST). ' +
        'Nothing was paid; to pay this bill, run stetpay retry BILL/2026/11/0001 and the next run sends it again, or pay it another way.',
    );
    expect(finalStatusReason('rejected', 'RJCT', 'NOAS', 'E2')).to.include('nobody approved it at the bank in time');
    expect(finalStatusReason('rejected', 'RJCT', 'WXYZ', 'E2')).to.include('(bank status RJCT, reason WXYZ)').and.not.include('because');
    expect(finalStatusReason('cancelled', 'CANC', undefined, null)).to.match(/^The bank cancelled the payment \(bank status CANC\)\. Nothing was paid/);
  });
});
