import { expect } from 'chai';
import type { BillStatus } from '../../connector/model/index.js';
import { registerPayment, type OdooClient } from '../../connector/odoo/index.js';
import { paymentIds } from '../../connector/rules/index.js';
import { CSV_BOM, makeReport, ReportFilterError } from '../../plugin/report/index.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { billRecord, NOW, odooPerSuite, payableBills, queuedValues, setBill } from './support.js';

describe('commands: stetpay report (real Odoo dev server)', () => {
  let server: RunningOdooDevServer;
  let client: OdooClient;
  let bills: number[];
  const statusOf = new Map<number, BillStatus>();

  odooPerSuite(20, (o) => ({ server, client } = o));
  before(async () => {
    bills = payableBills(server).slice(0, 7);
    expect(bills).to.have.length(7);
    const statuses: BillStatus[] = ['queued', 'submitted', 'accepted', 'executed', 'rejected', 'cancelled', 'exported'];
    for (const [i, id] of bills.entries()) {
      const status = statuses[i]!;
      statusOf.set(id, status);
      const ids = paymentIds(server.database, id, 1);
      await setBill(client, id, {
        ...queuedValues(server.database, id),
        x_stet_status: status,
        x_stet_resource_id: status === 'queued' || status === 'exported' ? false : `RES-${id}`,
        x_stet_bank_status: ({ submitted: 'RCVD', accepted: 'ACCP', executed: 'ACSC', rejected: 'RJCT', cancelled: 'CANC' } as Record<string, string>)[status] ?? false,
        x_stet_status_reason: status === 'rejected' ? 'Refused by the signatory, "AM04", insufficient funds' : false,
        x_stet_end_to_end_id: ids.endToEndId,
      }, new Date(NOW.getTime() + i * 60_000));
    }
    // The executed one was registered as paid on the bank's execution date, memo = its end-to-end id.
    const executed = bills[3]!;
    await registerPayment(client, { billId: executed, journalId: server.seedInfo!.bankJournalId, paymentDate: '2026-03-04', memo: paymentIds(server.database, executed, 1).endToEndId });
  });

  it('REPORT-01 CSV: BOM, the header, one row per tracked bill, IBAN masked, reason quoted, executed date from the registered payment', async () => {
    const r = await makeReport(client, { format: 'csv', now: NOW });
    expect(r.text.startsWith(CSV_BOM)).to.equal(true);
    const lines = r.text.slice(1).split('\r\n');
    expect(lines[0]).to.equal('Bill,Supplier,Supplier IBAN,Amount,Currency,Requested execution date,Executed date,End-to-end id,Payment information id,Bank resource id,Status,Payee check (VoP),STET status,Reason,Last update (UTC)');
    expect(lines.at(-1)).to.equal('');
    expect(lines.length - 2).to.equal(7);
    const executed = bills[3]!;
    const e2e = paymentIds(server.database, executed, 1).endToEndId;
    const line = lines.find((l) => l.includes(e2e))!;
    expect(line).to.include(',2026-03-04,2026-03-04,').and.to.include(',executed,,ACSC,');
    const rec = billRecord(server, executed);
    expect(line.startsWith(`${rec.name},`)).to.equal(true);
    expect(line).to.match(/,\*+[0-9A-Z]{4},/);
    const rejected = lines.find((l) => l.includes(',rejected,'))!;
    expect(rejected).to.include(',"Refused by the signatory, ""AM04"", insufficient funds",');
    // no other row has an executed date: it is not recorded for them
    for (const l of lines.slice(1, -1).filter((l) => !l.includes(e2e))) expect(l).to.include(',2026-03-04,,');
  });

  it('REPORT-02 JSON: rows, totals per status in cents, the executed amount is the registered payment', async () => {
    const r = await makeReport(client, { format: 'json', now: NOW, source: 'dev / db' });
    const doc = JSON.parse(r.text);
    expect(doc.count).to.equal(7);
    expect(doc.generatedAt).to.equal(NOW.toISOString());
    expect(doc.source).to.equal('dev / db');
    expect(doc.totals.map((t: { status: string }) => t.status)).to.deep.equal(['queued', 'submitted', 'accepted', 'executed', 'rejected', 'cancelled', 'exported']);
    const executed = bills[3]!;
    const row = doc.rows.find((x: { billId: number }) => x.billId === executed);
    const rec = billRecord(server, executed);
    expect(row).to.include({ status: 'executed', executedDate: '2026-03-04', amountCents: Math.round(Number(rec.amount_total) * 100), resourceId: `RES-${executed}` });
    const sum = doc.rows.reduce((s: number, x: { amountCents: number }) => s + x.amountCents, 0);
    expect(doc.totals.reduce((s: number, t: { amountCents: number }) => s + t.amountCents, 0)).to.equal(sum);
  });

  it('REPORT-03 HTML: one self-contained page with the summary and every status', async () => {
    const r = await makeReport(client, { format: 'html', now: NOW });
    expect(r.text).to.match(/^<!DOCTYPE html>/i);
    expect(r.text).to.not.match(/<script|https?:\/\/(?!www\.w3\.org)/i);
    for (const s of statusOf.values()) expect(r.text).to.include(`st-${s}`);
    expect(r.text).to.include('Refused by the signatory, &quot;AM04&quot;');
  });

  it('REPORT-04 --status and --since filter the rows; a wrong filter is refused before Odoo is called', async () => {
    const two = await makeReport(client, { format: 'json', status: 'executed,rejected', now: NOW });
    expect(JSON.parse(two.text).rows.map((x: { status: string }) => x.status).sort()).to.deep.equal(['executed', 'rejected']);
    // bills were stamped a minute apart from 08:00Z: since 09:03 Paris keeps the last four
    const late = await makeReport(client, { format: 'json', since: '2026-03-02T09:03:00+01:00', now: NOW });
    expect(JSON.parse(late.text).count).to.equal(4);
    const none = await makeReport(client, { format: 'json', since: '2026-03-03', now: NOW });
    expect(JSON.parse(none.text).count).to.equal(0);
    server.resetCalls();
    const err = await makeReport(client, { status: 'paid' }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ReportFilterError);
    expect((err as Error).message).to.include('--status paid is not a status');
    expect(server.calls().total ?? 0).to.equal(0);
  });
});
