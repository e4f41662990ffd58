import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import type { OdooClient } from '../../connector/odoo/index.js';
import { paymentIds } from '../../connector/rules/index.js';
import { bindOdooPort, StetpayQueues, sweepQueuedBills } from '../../worker/index.js';
import { CLAIM } from '../../worker/ledger/ledger-entry.js';
import { CommandFailure } from '../../plugin/errors.js';
import { exportPain001, NO_TRACE, type ExportDeps } from '../../plugin/export/index.js';
import { retryPayment } from '../../plugin/retry/index.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { sharedDir } from '../support/paths.js';
import { billRecord, notesOf, NOW, odooAndRedisPerSuite, PAYMENTS, queuedValues, reserve, setBill } from './support.js';
import { readReservedBills, readTrackedBills, registerPayments, writeBillUpdates } from '../../connector/odoo/index.js';

const xsd = (v: string) => join(sharedDir, 'sepa', `pain.001.001.${v}.xsd`);
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

function xsdCheck(ctx: Mocha.Context, version: '09' | '03', file: string): void {
  if (!existsSync(xsd(version))) {
    console.log(`      (XSD check skipped: ${xsd(version)} is absent, ../shared not beside the clone)`);
    return;
  }
  if (!hasXmllint) {
    console.log("      (XSD check skipped: xmllint is not installed, Debian's libxml2-utils)");
    return;
  }
  const r = spawnSync('xmllint', ['--noout', '--schema', xsd(version), file], { encoding: 'utf8' });
  expect(r.status, r.stderr).to.equal(0);
  void ctx;
}

function transfers(xml: string): { e2e: string; amount: string }[] {
  const doc = new XMLParser({ parseTagValue: false, ignoreAttributes: false, isArray: (n) => n === 'PmtInf' || n === 'CdtTrfTxInf' }).parse(xml);
  return doc.Document.CstmrCdtTrfInitn.PmtInf.flatMap((p: { CdtTrfTxInf: { PmtId: { EndToEndId: string }; Amt: { InstdAmt: { '#text': string } } }[] }) =>
    p.CdtTrfTxInf.map((t) => ({ e2e: t.PmtId.EndToEndId, amount: t.Amt.InstdAmt['#text'] })),
  );
}

describe('commands: stetpay export pain001 (real Odoo dev server, real Redis)', () => {
  let server: RunningOdooDevServer;
  let odoo: OdooClient;
  let queues: StetpayQueues;
  let dir: string;
  let bills: number[];
  let next = 0;
  const take = (n: number) => {
    const out = bills.slice(next, next + n);
    next += n;
    return out;
  };
  const deps = (over: Partial<ExportDeps> = {}): ExportDeps => ({ odoo, queues, payments: PAYMENTS, now: NOW, ...over });
  const pid = (billId: number) => paymentIds(server.database, billId, 1).paymentInformationId;
  const e2e = (billId: number) => paymentIds(server.database, billId, 1).endToEndId;
  /** Reserved by a run: `queued` in Odoo, and its job in the queue (waiting for a worker that is not running). */
  async function queued(billId: number): Promise<void> {
    await reserve(odoo, billId);
    await queues.submit.add('submit', { billId } as never, { jobId: pid(billId), delay: 3_600_000 });
  }

  odooAndRedisPerSuite(40, (fx) => ({ server, client: odoo, queues, bills } = fx));
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stetpay-export-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('EXPORT-01 exports every queued bill never sent: valid pain.001.001.09, marked exported in Odoo and in the ledger; a sent bill and one the API is sending stay out; a second run exports nothing', async function () {
    const [a, b, c, sent, sending] = take(5) as [number, number, number, number, number];
    for (const id of [a, b, c, sending]) await queued(id);
    // sent by the API: Odoo has its resource id and the ledger says sent
    await setBill(odoo, sent, { ...queuedValues(server.database, sent), x_stet_status: 'submitted', x_stet_resource_id: 'RES-SENT' });
    expect(await queues.ledger.claim({ paymentInformationId: pid(sent), token: 't1', billId: sent, endToEndId: e2e(sent) })).to.equal(CLAIM.FRESH);
    await queues.ledger.markSent(pid(sent), { resourceId: 'RES-SENT' });
    // being sent by a worker right now (Odoo still says queued)
    expect(await queues.ledger.claim({ paymentInformationId: pid(sending), token: 't2', billId: sending, endToEndId: e2e(sending) })).to.equal(CLAIM.FRESH);

    const out = join(dir, 'fallback-09.xml');
    const r = await exportPain001(deps(), { outPath: out });
    expect(r.file).to.equal(out);
    expect(r.exported.map((x) => x.billId).sort((x, y) => x - y)).to.deep.equal([a, b, c].sort((x, y) => x - y));
    expect(r.skipped.map((s) => s.billId)).to.deep.equal([sending]);
    expect(r.skipped[0]!.reason).to.include('the API path has or may have it (ledger: sending; a worker is sending it to the bank right now)');
    expect(r.messageId).to.equal(`SPX-${e2e(a).split('-')[1]}-20260302090000`);

    const xml = readFileSync(out, 'utf8');
    xsdCheck(this, '09', out);
    const txs = transfers(xml);
    expect(txs.map((t) => t.e2e).sort()).to.deep.equal([e2e(a), e2e(b), e2e(c)].sort());
    for (const id of [a, b, c]) {
      const rec = billRecord(server, id);
      const tx = txs.find((t) => t.e2e === e2e(id))!;
      expect(Math.round(Number(tx.amount) * 100)).to.equal(Math.round(Number(rec.amount_residual) * 100));
      expect(rec.x_stet_status).to.equal('exported');
      expect(rec.x_stet_status_reason).to.equal('sent by pain.001 file fallback-09.xml on 2026-03-02: upload it in online banking');
      expect(notesOf(server, id).some((n) => n.includes('put in the pain.001 file fallback-09.xml'))).to.equal(true);
      expect((await queues.ledger.get(pid(id)))?.state).to.equal('exported');
      // the API path can never send it now: the submit worker's claim says done
      expect(await queues.ledger.claim({ paymentInformationId: pid(id), token: 'worker', billId: id, endToEndId: e2e(id) })).to.equal(CLAIM.DONE);
    }
    expect(billRecord(server, sent)).to.include({ x_stet_status: 'submitted', x_stet_resource_id: 'RES-SENT' });
    expect(billRecord(server, sending).x_stet_status).to.equal('queued');
    expect((await queues.ledger.get(pid(sent)))?.state).to.equal('sent');

    const again = await exportPain001(deps(), { outPath: join(dir, 'again.xml') });
    expect(again.file).to.equal(null);
    expect(again.exported).to.deep.equal([]);
    expect(existsSync(join(dir, 'again.xml'))).to.equal(false);
  });

  it('EXPORT-02 --bills: a bill the API already sent is refused, never exported', async () => {
    const [sent] = take(1) as [number];
    await setBill(odoo, sent, { ...queuedValues(server.database, sent), x_stet_status: 'submitted', x_stet_resource_id: 'RES-2' });
    const r = await exportPain001(deps(), { outPath: join(dir, 'none.xml'), billIds: [sent] });
    expect(r.file).to.equal(null);
    expect(r.skipped).to.deep.equal([{ billId: sent, name: billRecord(server, sent).name, reason: 'its status is submitted: only queued payments never sent to the bank can go in a file' }]);
    expect(await queues.ledger.get(pid(sent))).to.equal(null);
  });

  it('EXPORT-03 pain.001.001.03 on demand, only the bills named; the others stay queued', async function () {
    const [a, b] = take(2) as [number, number];
    for (const id of [a, b]) await queued(id);
    const out = join(dir, 'fallback-03.xml');
    const r = await exportPain001(deps(), { outPath: out, version: '03', billIds: [a] });
    expect(r.exported.map((x) => x.billId)).to.deep.equal([a]);
    const xml = readFileSync(out, 'utf8');
    expect(xml).to.include('urn:iso:std:iso:20022:tech:xsd:pain.001.001.03');
    xsdCheck(this, '03', out);
    expect(billRecord(server, b).x_stet_status).to.equal('queued');
    expect(await queues.ledger.get(pid(b))).to.equal(null);
  });

  it('EXPORT-04 an existing --out file is never overwritten; nothing is claimed or changed', async () => {
    const [a] = take(1) as [number];
    await queued(a);
    const out = join(dir, 'exists.xml');
    writeFileSync(out, 'uploaded yesterday');
    const e = await exportPain001(deps(), { outPath: out, billIds: [a] }).catch((err: unknown) => err);
    expect(e).to.be.instanceOf(CommandFailure);
    expect((e as Error).message).to.include('already exists');
    expect(readFileSync(out, 'utf8')).to.equal('uploaded yesterday');
    expect(await queues.ledger.get(pid(a))).to.equal(null);
    expect(billRecord(server, a).x_stet_status).to.equal('queued');
  });

  it('EXPORT-05 a bill the ledger shows exported (an earlier file whose Odoo update failed) is recorded, never put in a second file', async () => {
    const [a] = take(1) as [number];
    await queued(a);
    expect(await queues.ledger.markExported(pid(a), a, e2e(a))).to.equal(true);
    const r = await exportPain001(deps(), { outPath: join(dir, 'second.xml'), billIds: [a] });
    expect(r.file).to.equal(null);
    expect(r.recorded.map((x) => x.billId)).to.deep.equal([a]);
    expect(existsSync(join(dir, 'second.xml'))).to.equal(false);
    expect(billRecord(server, a).x_stet_status).to.equal('exported');
  });

  it('EXPORT-07 a queued bill with no trace in Redis (no job, no ledger entry: Redis lost) is never put in a file', async () => {
    const [lost, kept] = take(2) as [number, number];
    await reserve(odoo, lost); // its job and ledger entry went with a flushed Redis
    await queued(kept);
    const r = await exportPain001(deps(), { outPath: join(dir, 'after-flush.xml'), billIds: [lost, kept] });
    expect(r.exported.map((x) => x.billId)).to.deep.equal([kept]);
    expect(r.skipped).to.deep.equal([{ billId: lost, name: String(billRecord(server, lost).name), reason: NO_TRACE }]);
    expect(billRecord(server, lost).x_stet_status).to.equal('queued');
    expect(await queues.ledger.get(pid(lost))).to.equal(null);
  });

  it('EXPORT-06 a second export while one runs is refused (one export at a time)', async () => {
    const [a] = take(1) as [number];
    await queued(a);
    await queues.redis.set(`${queues.prefix}:stetpay:export-lock`, 'other', 'PX', 60_000);
    try {
      const e = await exportPain001(deps(), { outPath: join(dir, 'locked.xml'), billIds: [a] }).catch((err: unknown) => err);
      expect((e as Error).message).to.include('another stetpay export is running');
      expect(await queues.ledger.get(pid(a))).to.equal(null);
    } finally {
      await queues.redis.del(`${queues.prefix}:stetpay:export-lock`);
    }
  });

  it('EXPORT-08 Redis lost after the bank took payments: left out (no advice leads to filing it), the sweeper re-queues it as "may be at the bank", and the next export still leaves it out', async () => {
    const [lost] = take(1) as [number];
    await reserve(odoo, lost);
    const first = await exportPain001(deps(), { outPath: join(dir, 'lost-1.xml'), billIds: [lost] });
    expect(first.skipped.map((x) => x.reason)).to.deep.equal([NO_TRACE]);
    expect(NO_TRACE).to.not.match(/sync|export/);
    const port = bindOdooPort(odoo, { writeBillUpdates, readTrackedBills, readReservedBills, registerPayments });
    const sweep = await sweepQueuedBills({ odoo: port, ledger: queues.ledger, submitQueue: queues.submit as never, writeback: queues.writeback, database: server.database });
    expect(sweep.reenqueued).to.include(lost);
    const again = await exportPain001(deps(), { outPath: join(dir, 'lost-2.xml'), billIds: [lost] });
    expect(again.file).to.equal(null);
    expect(again.skipped[0]!.reason).to.include('the API path has or may have it (ledger: sending; Redis had lost its record of it');
    expect(billRecord(server, lost).x_stet_status).to.equal('queued');
  });

  it('EXPORT-09 the file holds what was reserved, not the bill as it is now; a bill whose account or amount changed since is left out', async function () {
    const [kept, switched, more] = take(3) as [number, number, number];
    for (const id of [kept, switched, more]) await queued(id);
    const reserved = JSON.parse(String(billRecord(server, kept).x_stet_request));
    // the vendor's name changed since (not a reservation fact): the file keeps the approved name
    const partner = Number(server.store.value('account.move', kept, 'commercial_partner_id'));
    server.store.update('res.partner', partner, { name: 'Renamed Supplier SA' });
    const otherAccount = server.store.insert('res.partner.bank', { ...server.store.read('res.partner.bank', [Number(server.store.value('account.move', switched, 'partner_bank_id'))])[0], id: undefined, acc_number: 'FR7630006000011234567890189' });
    server.store.update('account.move', switched, { partner_bank_id: otherAccount });
    server.store.update('account.move', more, { amount_residual: 98765.43 });
    const out = join(dir, 'as-reserved.xml');
    const r = await exportPain001(deps(), { outPath: out, billIds: [kept, switched, more] });
    expect(r.exported.map((x) => x.billId)).to.deep.equal([kept]);
    const reasons = new Map(r.skipped.map((x) => [x.billId, x.reason]));
    expect(reasons.get(switched)).to.include('the bill changed after its payment was reserved (its recipient account is now FR76 …0189)');
    expect(reasons.get(more)).to.include('its amount due is now 98765.43 EUR');
    const xml = readFileSync(out, 'utf8');
    expect(xml).to.include(reserved.creditTransferTransaction[0].beneficiary.creditor.name).and.not.include('Renamed Supplier');
    xsdCheck(this, '09', out);
    for (const id of [switched, more]) expect(await queues.ledger.get(pid(id))).to.equal(null);
  });

  it('EXPORT-10 --bills takes bill numbers as well as ids; a bill reserved by an older stetpay (no request recorded) is never put in a file', async () => {
    const [a, old] = take(2) as [number, number];
    await queued(a);
    await setBill(odoo, old, queuedValues(server.database, old));
    await queues.submit.add('submit', { billId: old } as never, { jobId: pid(old), delay: 3_600_000 });
    const r = await exportPain001(deps(), { outPath: join(dir, 'by-number.xml'), billIds: [String(billRecord(server, a).name), old, 'BILL/1999/01/0001'] });
    expect(r.exported.map((x) => x.billId)).to.deep.equal([a]);
    expect(r.skipped).to.deep.include({ billId: 0, name: 'BILL/1999/01/0001', reason: 'no vendor bill has this number in Odoo' });
    expect(r.skipped.find((x) => x.billId === old)!.reason).to.include('Odoo holds no record of the request reserved for it (reserved by a stetpay older than this one)');
  });

  it('RECOVERY-11 a file that cannot be written after its payments were claimed: nothing filed, the bills withdrawn (ids retired, attempt closed, never sent by any channel), and stetpay retry sends them anew', async () => {
    const [a, b] = take(2) as [number, number];
    await queued(a);
    await queued(b);
    const out = join(dir, 'unwritable.xml');
    mkdirSync(`${out}.${process.pid}.tmp`); // the temporary file's name is taken: the write fails after the claims
    const e = await exportPain001(deps(), { outPath: out, billIds: [a, b] }).catch((err: unknown) => err);
    expect(e).to.be.instanceOf(CommandFailure);
    expect((e as Error).message).to.match(/^could not write .*unwritable\.xml: .*EEXIST.*\. Nothing was filed: the 2 bill\(s\) it was for show withdrawn in Odoo \(never sent by any channel, their ids retired\); stetpay retry BILL puts each back for the next run, or export them again after that run\.$/);
    expect(existsSync(out)).to.equal(false);
    for (const id of [a, b]) {
      expect(await queues.ledger.get(pid(id))).to.include({ state: 'final', status: 'withdrawn' });
      expect(await queues.ledger.claim({ paymentInformationId: pid(id), token: 'late', billId: id, endToEndId: e2e(id) })).to.equal(CLAIM.DONE);
      const bill = billRecord(server, id);
      expect(bill).to.include({ x_stet_status: 'withdrawn', x_stet_closed_attempt: 1 });
      expect(String(bill.x_stet_status_reason)).to.equal(
        `Bill ${String(bill.name)}: payment ${e2e(id)} was not sent: the pain.001 file unwritable.xml it was claimed for on 2026-03-02 08:00:00 UTC could not be written (EEXIST: file already exists, open '${out}.${process.pid}.tmp'). ` +
          `No channel has it and its ids are never sent. To pay the bill, run stetpay retry ${String(bill.name)} and the next run sends a new payment.`,
      );
    }
    const r = await retryPayment({ odoo, ledger: queues.ledger, jobState: (p) => queues.jobState(p), by: 'Ana' }, String(a));
    expect(r.message).to.contain('withdrawn cleared; the next run sends a new payment (attempt 2, new ids)');
  });
});
