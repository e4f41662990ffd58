import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { BillUpdate } from '../../connector/model/index.js';
import { WritebackDrainer } from '../../worker/writeback/writeback-drainer.js';
import { WritebackQueue } from '../../worker/writeback/writeback-queue.js';
import { coalesceUpdates } from '../../worker/writeback/coalesce-updates.js';
import { bindOdooPort } from '../../worker/adapters/odoo-port.js';
import { readTrackedBills } from '../../connector/odoo/read-tracked-bills.js';
import { readReservedBills } from '../../connector/odoo/read-reserved-bills.js';
import { registerPayments } from '../../connector/odoo/register-payment.js';
import { writeBillUpdates } from '../../connector/odoo/write-bill-updates.js';
import { clerkClient, devOdoo, TODAY } from '../odoo/helpers.js';
import { OdooFieldsMissingError } from '../../connector/odoo/errors.js';
import { DrainLockLostError, WritebackDeadLetterError } from '../../worker/errors.js';
import { RecordingOdoo, trackedBill, waitFor } from './support.js';
import { redisClientPerTest } from '../support/redis-per-suite.js';

describe('write-back (Redis list drained in batches into Odoo)', function () {
  this.timeout(20_000);
  let conn: Redis;
  let prefix: string;
  let odoo: RecordingOdoo;
  let drainers: WritebackDrainer[];

  redisClientPerTest(
    (r) => ({ client: conn, prefix } = r),
    () => Promise.all(drainers.map((d) => d.close())),
  );
  beforeEach(() => {
    odoo = new RecordingOdoo();
    drainers = [];
  });

  const upd = (billId: number, status: 'submitted' | 'accepted' = 'submitted'): BillUpdate => ({ billId, values: { x_stet_status: status, x_stet_resource_id: `RES-${billId}` } });
  function drainer(opts: ConstructorParameters<typeof WritebackDrainer>[2] = {}) {
    const d = new WritebackDrainer(conn, odoo, { prefix, maxDelayMs: 50, pollMs: 20, retryDelayMs: 30, maxRetryDelayMs: 100, ...opts });
    drainers.push(d);
    return d;
  }

  it('WB-01 1,000 updates arriving at once reach Odoo in two batches of 500 (the default), each bill once, in order', async () => {
    const q = new WritebackQueue(conn, { prefix });
    await q.push(Array.from({ length: 1000 }, (_, i) => upd(i + 1)));
    drainer().start();
    await waitFor(async () => (await q.pending()) === 0, 8000, 'list drained');
    expect(odoo.writeCalls.map((c) => c.length)).to.deep.equal([500, 500]);
    expect(odoo.writeCalls.flat().map((u) => u.billId)).to.deep.equal(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(odoo.bills.get(1000)!.resourceId).to.equal('RES-1000');
  });

  it('WB-06 1,000 results with notes arriving at once cost at most ceil(1000/200)+10 calls at the Odoo dev server', async () => {
    const server = await devOdoo({ seed: { invoices: 1000, seed: 11, today: TODAY } });
    const client = await clerkClient(server, { install: true });
    try {
      const port = bindOdooPort(client, { writeBillUpdates, readTrackedBills, readReservedBills, registerPayments }, { journalId: server.seedInfo!.bankJournalId });
      const ids = server.seedInfo!.billIds;
      const q = new WritebackQueue(conn, { prefix });
      // two field sets, as submissions and rejections write different fields, and a note each
      await q.push(ids.map((billId, i): BillUpdate => (i % 4 === 0
        ? { billId, values: { x_stet_status: 'rejected', x_stet_bank_status: 'RJCT', x_stet_status_reason: 'AC01' }, note: `rejected ${billId}` }
        : { billId, values: { x_stet_status: 'submitted', x_stet_resource_id: `RES-${billId}` }, note: `sent ${billId}` })));
      server.resetCalls();
      // Full batches whatever the machine's load: sizing by time has its own tests (WRITEBACK-SIZE-*).
      const d = new WritebackDrainer(conn, port, { prefix, maxDelayMs: 50, pollMs: 20, targetBatchMs: 600_000 });
      drainers.push(d);
      d.start();
      await waitFor(async () => (await q.pending()) === 0, 15_000, 'list drained');
      const calls = server.calls();
      expect(calls.total).to.be.at.most(Math.ceil(1000 / 200) + 10);
      expect(calls['account.move.load']).to.equal(4); // 2 batches x 2 field sets
      expect(calls['mail.message.create']).to.equal(2);
      const [first, second] = server.store.read('account.move', [ids[0]!, ids[1]!]);
      expect(first).to.deep.include({ x_stet_status: 'rejected', x_stet_bank_status: 'RJCT' });
      expect(second).to.deep.include({ x_stet_status: 'submitted', x_stet_resource_id: `RES-${ids[1]}` });
      expect(server.store.search('mail.message', [['model', '=', 'account.move']])).to.have.length(1000);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('WB-02 Odoo down: nothing is lost, everything is written when it is back', async () => {
    const q = new WritebackQueue(conn, { prefix });
    odoo.down = true;
    const errors: number[] = [];
    drainer({ batchSize: 100, onError: (_e, pending) => errors.push(pending) }).start();
    await q.push(Array.from({ length: 250 }, (_, i) => upd(i + 1)));
    await waitFor(() => errors.length >= 3, 5000, 'three failed writes');
    expect(await q.pending()).to.equal(250);
    odoo.down = false;
    await waitFor(async () => (await q.pending()) === 0, 8000, 'drained after Odoo came back');
    expect(odoo.bills.size).to.equal(250);
    expect(errors.every((p) => p === 250)).to.equal(true);
  });

  it('WB-03 an update is removed only after Odoo confirmed: a failed flush keeps it', async () => {
    const q = new WritebackQueue(conn, { prefix });
    await q.push(upd(1));
    odoo.down = true;
    const d = drainer();
    let failed = false;
    await d.flush().catch(() => (failed = true));
    expect(failed).to.equal(true);
    expect(await q.pending()).to.equal(1);
    odoo.down = false;
    await d.flush();
    expect(await q.pending()).to.equal(0);
  });

  it('WB-04 a replay conditional on queued is dropped when the bill has moved on', async () => {
    odoo.bills.set(1, trackedBill(1, { status: 'executed' }));
    odoo.bills.set(2, trackedBill(2, { status: 'queued' }));
    const q = new WritebackQueue(conn, { prefix });
    await q.push([
      { update: upd(1), onlyIfStatus: ['queued'] },
      { update: upd(2), onlyIfStatus: ['queued'] },
    ]);
    await drainer().flush();
    expect(odoo.bills.get(1)!.status).to.equal('executed');
    expect(odoo.bills.get(2)!.status).to.equal('submitted');
  });

  it('WB-07 a batch with one deleted bill writes the others and dead-letters exactly that one', async () => {
    const server = await devOdoo({ seed: { invoices: 10, seed: 3, today: TODAY } });
    const client = await clerkClient(server, { install: true });
    try {
      const port = bindOdooPort(client, { writeBillUpdates, readTrackedBills, readReservedBills, registerPayments });
      const [a, gone, c, d] = server.seedInfo!.billIds;
      server.store.remove('account.move', gone!); // deleted in Odoo after it was sent
      const q = new WritebackQueue(conn, { prefix });
      await q.push([upd(a!), upd(gone!), { ...upd(c!), note: 'sent' }, upd(gone!, 'accepted'), upd(d!)]);
      const errors: unknown[] = [];
      const dr = new WritebackDrainer(conn, port, { prefix, onError: (e) => errors.push(e) });
      drainers.push(dr);
      await dr.flush();
      expect(await q.pending()).to.equal(0);
      for (const id of [a!, c!, d!]) expect(server.store.read('account.move', [id])[0]).to.deep.include({ x_stet_status: 'submitted', x_stet_resource_id: `RES-${id}` });
      expect(server.store.search('mail.message', [['model', '=', 'account.move'], ['res_id', '=', c!]])).to.have.length(1);
      const dead = await q.deadLetters();
      expect(dead.map((x) => x.item)).to.deep.equal([{ update: upd(gone!) }, { update: upd(gone!, 'accepted') }]);
      expect(dead.map((x) => x.error)).to.deep.equal([`Unknown database identifier '${gone}'`, `Unknown database identifier '${gone}'`]);
      expect(Date.parse(dead[0]!.at)).to.be.closeTo(Date.now(), 10_000);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.be.instanceOf(WritebackDeadLetterError);
      expect((errors[0] as WritebackDeadLetterError).billIds).to.deep.equal([gone]);
      expect((errors[0] as Error).message).to.contain(q.deadLetterKey);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('WB-08 a refusal that names no bill (fields not installed) keeps the whole batch queued, nothing dead-lettered', async () => {
    const server = await devOdoo({ seed: { invoices: 3, seed: 3, today: TODAY } });
    const client = await clerkClient(server); // the daily user; no stetpay install: the x_stet_* fields do not exist
    try {
      const port = bindOdooPort(client, { writeBillUpdates, readTrackedBills, readReservedBills, registerPayments });
      const q = new WritebackQueue(conn, { prefix });
      await q.push(server.seedInfo!.billIds.map((id) => upd(id)));
      const d = new WritebackDrainer(conn, port, { prefix });
      drainers.push(d);
      let err: unknown;
      await d.flush().catch((e: unknown) => (err = e));
      // real Odoo faults the whole load (KeyError) rather than naming rows
      expect(err).to.be.instanceOf(OdooFieldsMissingError);
      expect((err as Error).message).to.contain('run `stetpay install` first');
      expect(await q.pending()).to.equal(3);
      expect(await q.deadLetters()).to.deep.equal([]);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('WB-09 a drainer that lost its lock mid-drain writes no more, removes nothing and dead-letters nothing', async () => {
    const q = new WritebackQueue(conn, { prefix });
    await q.push([upd(1), upd(2), upd(3)]);
    let calls = 0;
    const port = {
      readTrackedBills: odoo.readTrackedBills.bind(odoo),
      async writeBillUpdates(_updates: BillUpdate[]): Promise<void> {
        calls++;
        // meanwhile another drainer took the lock (this one's Redis was cut off longer than the lock lives)
        await conn.set(`${prefix}:stetpay-writeback:lock`, 'another-drainer');
        throw Object.assign(new Error('refused'), { refused: [{ billId: 2, message: "Unknown database identifier '2'" }] });
      },
    };
    const d = new WritebackDrainer(conn, port, { prefix });
    drainers.push(d);
    let err: unknown;
    await d.drainOnce().catch((e: unknown) => (err = e));
    expect(err).to.be.instanceOf(DrainLockLostError);
    expect(calls).to.equal(1); // not written again without the lock
    expect(await q.pending()).to.equal(3);
    expect(await q.deadLetters()).to.deep.equal([]);
  });

  it('WB-10 the drain lock is renewed during a long drain: a second drainer never takes the batch over', async () => {
    const q = new WritebackQueue(conn, { prefix });
    await q.push(Array.from({ length: 10 }, (_, i) => upd(i + 1)));
    const write = odoo.writeBillUpdates.bind(odoo);
    odoo.writeBillUpdates = async (u) => {
      await new Promise((r) => setTimeout(r, 900)); // an Odoo write far longer than the lock's life
      return write(u);
    };
    const first = drainer({ lockTtlMs: 200 });
    const second = drainer({ lockTtlMs: 200 });
    const draining = first.drainOnce();
    const tries: number[] = [];
    for (let i = 0; i < 12; i++) {
      await new Promise((r) => setTimeout(r, 60));
      tries.push(await second.drainOnce());
    }
    expect(await draining).to.equal(10);
    expect(tries.every((n) => n === 0)).to.equal(true);
    expect(odoo.writeCalls).to.have.length(1);
    expect(await q.pending()).to.equal(0);
  });

  it('WB-05 updates of one bill in a batch are merged in order (latest wins, notes kept)', () => {
    const merged = coalesceUpdates([
      { billId: 1, values: { x_stet_status: 'submitted', x_stet_resource_id: 'R' }, note: 'a' },
      { billId: 2, values: { x_stet_status: 'queued' } },
      { billId: 1, values: { x_stet_status: 'accepted' }, note: 'b' },
    ]);
    expect(merged).to.deep.equal([
      { billId: 1, values: { x_stet_status: 'accepted', x_stet_resource_id: 'R' }, note: 'a\nb' },
      { billId: 2, values: { x_stet_status: 'queued' } },
    ]);
  });
});
