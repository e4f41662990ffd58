import { expect } from 'chai';
import type { TrackedBill } from '../../connector/model/index.js';
import type { OdooClient } from '../../connector/odoo/index.js';
import { mapBill } from '../../connector/mapping/index.js';
import { formatCents, toCents } from '../../connector/rules/money.js';
import { withExecutedPayments } from '../../plugin/report/executed-payments.js';
import { context, goodSnapshot } from '../rules/support/fixtures.js';
import {
  filterRows,
  maskIban,
  renderCsv,
  renderHtml,
  renderJson,
  ReportFilterError,
  toReportRows,
  totalsByStatus,
} from '../../plugin/report/index.js';

function bill(over: Partial<TrackedBill>): TrackedBill {
  return {
    billId: 1,
    name: 'BILL/2026/11/0001',
    supplierName: 'Dupont SARL',
    supplierIban: 'FR76 3000 1007 9412 3456 7890 185',
    currency: 'EUR',
    amountTotal: 100,
    amountResidual: 100,
    paymentState: 'not_paid',
    status: 'submitted',
    bankStatus: 'ACTC',
    reason: null,
    endToEndId: 'E2E-1',
    paymentInformationId: 'PI-1',
    resourceId: 'RES-1',
    consentUrl: 'https://bank.example/consent/1',
    requestedExecutionDate: '2026-11-26',
    attempt: 1,
    updatedAt: '2026-11-25 09:00:00',
    ...over,
  };
}

const FIXTURE: TrackedBill[] = [
  bill({ billId: 2, name: 'BILL/2026/11/0002', supplierName: 'Martin, "Le Grand" & Fils', amountTotal: 0.1, amountResidual: 0.1, status: 'rejected', bankStatus: 'RJCT', reason: 'Refused by the signatory.' }),
  bill({ billId: 1, amountTotal: 0.2, amountResidual: 0, status: 'executed', bankStatus: 'ACSC', executedDate: '2026-11-26', updatedAt: '2026-11-26 16:00:00' }),
  bill({ billId: 3, name: 'BILL/2026/11/0003', status: null }),
];

describe('reconciliation report (plugin/report)', () => {
  it('masks an IBAN but for its last four characters', () => {
    expect(maskIban('FR76 3000 1007 9412 3456 7890 185')).to.equal('***********************0185');
    expect(maskIban('de89370400440532013000')).to.equal('******************3000');
    expect(maskIban('1234')).to.equal('****');
    expect(maskIban(null)).to.equal('');
  });

  it('makes one row per tracked payment, amounts in cents, bills without a status left out', () => {
    const rows = toReportRows(FIXTURE);
    expect(rows.map((r) => [r.billNumber, r.amountCents, r.amount, r.status, r.executedDate])).to.deep.equal([
      ['BILL/2026/11/0001', 20, '0.20', 'executed', '2026-11-26'],
      ['BILL/2026/11/0002', 10, '0.10', 'rejected', ''],
    ]);
    expect(formatCents(123456)).to.equal('1234.56');
    expect(formatCents(5)).to.equal('0.05');
  });

  it('counts cents as the payment rules do: 1.005 is 101 cents in the report, in the payment and from a registered payment', async () => {
    expect(toCents(1.005)).to.equal(101); // Math.round(1.005 * 100) says 100
    const sent = mapBill({ ...goodSnapshot(), bill: { ...goodSnapshot().bill, amountResidual: 1.005 } }, context());
    expect(sent.kind === 'payable' && sent.amountCents).to.equal(101);
    const [row] = toReportRows([bill({ amountResidual: 1.005 })]);
    expect([row!.amountCents, row!.amount]).to.deep.equal([101, '1.01']);
    const odoo = { version: 17, call: async () => [{ id: 1, ref: 'E2E-1', date: '2026-11-26', amount: 1.005 }] } as unknown as OdooClient;
    const [executed] = await withExecutedPayments(odoo, [bill({ status: 'executed', amountResidual: 0, amountTotal: 1.005 })]);
    expect(executed!.amountCents).to.equal(101);
    expect(toReportRows([executed!])[0]!.amount).to.equal('1.01');
  });

  it('sums totals per status in integer cents (0.1 + 0.2 is exactly 30 cents)', () => {
    const rows = toReportRows([bill({ billId: 1, amountResidual: 0.1 }), bill({ billId: 2, amountResidual: 0.2 }), bill({ billId: 3, amountResidual: 0, amountTotal: 7, status: 'executed' })]);
    expect(totalsByStatus(rows)).to.deep.equal([
      { status: 'submitted', currency: 'EUR', count: 2, amountCents: 30 },
      { status: 'executed', currency: 'EUR', count: 1, amountCents: 700 },
    ]);
  });

  it('writes RFC 4180 CSV: BOM, CRLF, header, quotes doubled in a supplier name with a comma and a quote', () => {
    const csv = renderCsv(toReportRows(FIXTURE));
    const expected =
      '\uFEFF' +
      'Bill,Supplier,Supplier IBAN,Amount,Currency,Requested execution date,Executed date,End-to-end id,Payment information id,Bank resource id,Status,Payee check (VoP),STET status,Reason,Last update (UTC)\r\n' +
      'BILL/2026/11/0001,Dupont SARL,***********************0185,0.20,EUR,2026-11-26,2026-11-26,E2E-1,PI-1,RES-1,executed,,ACSC,,2026-11-26 16:00:00\r\n' +
      'BILL/2026/11/0002,"Martin, ""Le Grand"" & Fils",***********************0185,0.10,EUR,2026-11-26,,E2E-1,PI-1,RES-1,rejected,,RJCT,Refused by the signatory.,2026-11-25 09:00:00\r\n';
    expect(Buffer.from(csv, 'utf8').equals(Buffer.from(expected, 'utf8'))).to.equal(true, csv);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).to.deep.equal(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('defuses a supplier name a spreadsheet would run as a formula', () => {
    const csv = renderCsv(toReportRows([bill({ supplierName: '=HYPERLINK("http://x","y")' })]));
    expect(csv).to.contain(`,"'=HYPERLINK(""http://x"",""y"")",`);
  });

  it('renders one self-contained HTML page with the summary and every value escaped', () => {
    const rows = toReportRows([...FIXTURE, bill({ billId: 9, name: 'BILL/9', supplierName: '<script>alert(1)</script>' })]);
    const html = renderHtml(rows, totalsByStatus(rows), { generatedAt: new Date('2026-11-26T17:00:00Z'), filters: { status: 'executed' } });
    expect(html).not.to.contain('<script>');
    expect(html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).to.match(/<section class="summary"[^>]*>[\s\S]*st-executed[\s\S]*0\.20 EUR[\s\S]*st-rejected[\s\S]*0\.10 EUR[\s\S]*<\/section>/);
    expect(html).to.contain('Generated 2026-11-26 17:00:00 UTC');
    expect(html).not.to.match(/(src|href)=["']?https?:/);
    expect(html.indexOf('class="summary"')).to.be.lessThan(html.indexOf('<table'));
  });

  it('renders JSON with rows, totals in cents and the filters', () => {
    const rows = toReportRows(FIXTURE);
    const json = JSON.parse(renderJson(rows, totalsByStatus(rows), { generatedAt: new Date('2026-11-26T17:00:00Z'), filters: { since: '2026-11-01' } }));
    expect(json.count).to.equal(2);
    expect(json.totals[0]).to.deep.equal({ status: 'executed', currency: 'EUR', count: 1, amountCents: 20, amount: '0.20' });
    expect(json.filters).to.deep.equal({ since: '2026-11-01', status: null });
    expect(json.rows[1].supplier).to.equal('Martin, "Le Grand" & Fils');
  });

  it('filters by --since (midnight Europe/Paris) and --status, and explains a bad value', () => {
    const rows = toReportRows([
      bill({ billId: 1, name: 'A', updatedAt: '2026-11-25 22:59:59' }),
      bill({ billId: 2, name: 'B', updatedAt: '2026-11-25 23:00:00', status: 'executed' }),
    ]);
    expect(filterRows(rows, { since: '2026-11-26' }).map((r) => r.billNumber)).to.deep.equal(['B']); // 00:00 Paris = 23:00 UTC
    expect(filterRows(rows, { status: 'submitted,rejected' }).map((r) => r.billNumber)).to.deep.equal(['A']);
    expect(() => filterRows(rows, { status: 'paid' })).to.throw(ReportFilterError, /--status paid is not a status: use one of queued, submitted/);
    expect(() => filterRows(rows, { since: '26/11/2026' })).to.throw(ReportFilterError, /use YYYY-MM-DD/);
  });
});
