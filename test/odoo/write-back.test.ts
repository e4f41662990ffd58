import { expect } from 'chai';
import type { BillUpdate } from '../../connector/model/stet-fields.js';
import { OdooFieldsMissingError, OdooLoadError } from '../../connector/odoo/errors.js';
import type { OdooClient } from '../../connector/odoo/odoo-client.js';
import { readTrackedBills } from '../../connector/odoo/read-tracked-bills.js';
import { writeBillUpdates } from '../../connector/odoo/write-bill-updates.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { clerkClient, odooClientPerSuite, TODAY } from './helpers.js';

describe('write-back of payment results (as an invoicing user, no Settings rights)', () => {
  let server: RunningOdooDevServer;
  let client: OdooClient;
  odooClientPerSuite((o) => ({ server, client } = o), { seed: { invoices: 1000, seed: 11, today: TODAY }, as: 'clerk', install: true });

  it('writes 1,000 different results and notes in at most ceil(N/200)+10 calls; values read back', async () => {
    const ids = server.seedInfo!.billIds;
    const updates: BillUpdate[] = ids.map((billId, i) => ({
      billId,
      values: {
        x_stet_status: i % 3 === 0 ? 'submitted' : 'queued',
        x_stet_end_to_end_id: `E2E-${billId}-1`,
        x_stet_payment_information_id: `PMI-${billId}-1`,
        x_stet_resource_id: i % 3 === 0 ? `RES${billId}` : false,
        x_stet_consent_url: i % 3 === 0 ? `https://bank.example/consent/${billId}?a=1&b=2` : false,
        x_stet_requested_execution_date: '2026-03-04',
        x_stet_attempt: 1,
        x_stet_status_reason: false,
      },
      note: `Sent to the bank: ${billId} <ok> & done\nsecond line`,
    }));
    server.resetCalls();
    const now = new Date('2026-03-02T21:15:30Z');
    const { calls } = await writeBillUpdates(client, updates, now);
    const total = server.calls().total ?? 0;
    expect(total).to.equal(calls);
    expect(total).to.be.at.most(Math.ceil(updates.length / 200) + 10);
    const rows = server.store.read('account.move', [ids[0]!, ids[1]!]);
    expect(rows[0]).to.deep.include({ x_stet_status: 'submitted', x_stet_end_to_end_id: `E2E-${ids[0]}-1`, x_stet_resource_id: `RES${ids[0]}`, x_stet_attempt: 1, x_stet_requested_execution_date: '2026-03-04', x_stet_updated_at: '2026-03-02 21:15:30' });
    expect(rows[1]).to.deep.include({ x_stet_status: 'queued', x_stet_resource_id: false, x_stet_consent_url: false });
    const notes = server.store.search('mail.message', [['model', '=', 'account.move'], ['res_id', '=', ids[0]!]]);
    expect(notes).to.have.length(1);
    const note = server.store.read('mail.message', notes)[0]!;
    expect(note.body).to.equal(`<p>Sent to the bank: ${ids[0]} &lt;ok&gt; &amp; done<br>second line</p>`);
    expect(note.message_type).to.equal('comment');
    expect(note.subtype_id).to.equal(server.store.search('mail.message.subtype', [['name', '=', 'Note']])[0]);
  });

  it('a field left out of an update is not cleared', async () => {
    const id = server.seedInfo!.billIds[5]!;
    await writeBillUpdates(client, [{ billId: id, values: { x_stet_bank_status: 'ACTC', x_stet_status: 'accepted' } }]);
    expect(server.store.read('account.move', [id])[0]).to.deep.include({ x_stet_bank_status: 'ACTC', x_stet_status: 'accepted', x_stet_end_to_end_id: `E2E-${id}-1` });
  });

  it('a refused batch writes nothing of it and says which bill Odoo refused for good (a deleted one)', async () => {
    const [a] = server.seedInfo!.billIds;
    let err: unknown;
    try {
      await writeBillUpdates(client, [
        { billId: a!, values: { x_stet_bank_status: 'XXXX' } },
        { billId: 99999, values: { x_stet_bank_status: 'XXXX' } },
      ]);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(OdooLoadError);
    expect((err as OdooLoadError).billIds).to.deep.equal([a, 99999]);
    expect((err as OdooLoadError).refused).to.deep.equal([{ billId: 99999, message: "Unknown database identifier '99999'" }]);
    expect((err as Error).message).to.equal("Odoo refused to record 2 bill result(s) (bill 99999, field .id): Unknown database identifier '99999'. Nothing of this batch was written; run stetpay install if a field is missing.");
    expect(server.store.read('account.move', [a!])[0]!.x_stet_bank_status).to.not.equal('XXXX');
  });

  it('a stetpay field Odoo does not know faults the whole batch (KeyError, as real Odoo 17): "run stetpay install", no bill refused', async () => {
    const [a, b] = server.seedInfo!.billIds;
    let err: unknown;
    try {
      await writeBillUpdates(client, [
        { billId: a!, values: { x_stet_bank_status: 'ACTC', x_stet_nope: 'x' } as never },
        { billId: b!, values: { x_stet_bank_status: 'ACTC', x_stet_nope: 'y' } as never },
      ]);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(OdooFieldsMissingError);
    expect((err as OdooFieldsMissingError).field).to.equal('x_stet_nope');
    expect((err as OdooFieldsMissingError).faultString).to.match(/KeyError: 'x_stet_nope'\n$/);
    expect((err as Error).message).to.equal("Odoo has no field account.move.x_stet_nope: stetpay's fields are not installed in this database; run `stetpay install` first (as a Settings administrator)");
    expect((err as { refused?: unknown }).refused).to.equal(undefined);
    expect(server.store.read('account.move', [a!])[0]!.x_stet_bank_status).to.not.equal('ACTC');
  });

  it('notes reach the chatter without ir.model.data, which an invoicing user may not read (fault 4 on real Odoo)', async () => {
    const e = await client.call('ir.model.data', 'search_read', [[['module', '=', 'mail'], ['name', '=', 'mt_note']]], { fields: ['res_id'] }).then(
      () => null,
      (x: unknown) => x as Error,
    );
    expect(e?.message).to.match(/^You are not allowed to access 'Model Data' \(ir\.model\.data\) records\.\n\nThis operation is allowed for the following groups:\n\t- Administration\/Access Rights\n/);
    const id = server.seedInfo!.billIds[7]!;
    const fresh = await clerkClient(server);
    try {
      server.resetCalls();
      await writeBillUpdates(fresh, [{ billId: id, values: { x_stet_bank_status: 'ACSC' }, note: 'executed' }]);
      expect(server.calls()).to.deep.include({ 'account.move.load': 1, 'ir.model.data.check_object_reference': 1, 'mail.message.create': 1 });
      expect(server.calls()['ir.model.data.search_read']).to.equal(undefined);
    } finally {
      fresh.close();
    }
    const [last] = server.store.search('mail.message', [['model', '=', 'account.move'], ['res_id', '=', id]], 'id desc');
    expect(server.store.read('mail.message', [last!])[0]).to.deep.include({ body: '<p>executed</p>', subtype_id: server.store.xmlidTarget('mail.mt_note')!.resId, author_id: server.store.value('res.users', server.clerk.uid, 'partner_id') });
  });

  it('reads tracked bills back by status, by id and since a date', async () => {
    const submitted = await readTrackedBills(client, { statuses: ['submitted'], withIban: true });
    expect(submitted.length).to.equal(Math.ceil(1000 / 3) - 0);
    const first = submitted[0]!;
    expect(first.status).to.equal('submitted');
    expect(first.consentUrl).to.match(/^https:\/\/bank\.example\/consent\//);
    const account = server.store.read('account.move', [first.billId])[0]!.partner_bank_id as number;
    expect(first.supplierIban).to.equal(server.store.read('res.partner.bank', [account])[0]!.sanitized_acc_number);
    expect(first.updatedAt).to.match(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const one = await readTrackedBills(client, { billIds: [server.seedInfo!.billIds[5]!] });
    expect(one.map((t) => [t.status, t.bankStatus])).to.deep.equal([['accepted', 'ACTC']]);
    expect(await readTrackedBills(client, { since: '2099-01-01' })).to.deep.equal([]);
    expect((await readTrackedBills(client)).length).to.equal(1000);
  });

  it('reads known bills in one search_read, the IBANs only when asked, with the same results as a search', async () => {
    const ids = server.seedInfo!.billIds;
    const wanted = [ids[9]!, ids[3]!, ids[3]!, ids[0]!, 99999]; // unsorted, a duplicate, a bill that does not exist
    const bySearch = (await readTrackedBills(client, { withIban: true })).filter((b) => wanted.includes(b.billId));
    server.resetCalls();
    const withIban = await readTrackedBills(client, { billIds: wanted, withIban: true });
    expect(server.calls()).to.deep.include({ total: 2, 'account.move.search_read': 1, 'res.partner.bank.read': 1 });
    expect(withIban).to.deep.equal(bySearch);
    expect(withIban.map((b) => b.billId)).to.deep.equal([ids[0], ids[3], ids[9]]);
    server.resetCalls();
    const plain = await readTrackedBills(client, { billIds: wanted });
    expect(server.calls()).to.deep.equal({ total: 1, execute_kw: 1, 'account.move.search_read': 1 });
    expect(plain).to.deep.equal(bySearch.map((b) => ({ ...b, supplierIban: null })));
    server.resetCalls();
    expect(await readTrackedBills(client, { billIds: [ids[0]!], statuses: ['executed'] })).to.deep.equal([]);
    expect(server.calls().total).to.equal(1);
  });
});
