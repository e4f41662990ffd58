import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { BillUpdate } from '../../connector/model/index.js';
import { WritebackDrainer } from '../../worker/writeback/writeback-drainer.js';
import { WritebackQueue } from '../../worker/writeback/writeback-queue.js';
import { coalesceUpdates } from '../../worker/writeback/coalesce-updates.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { RecordingOdoo, trackedBill, waitFor } from './support.js';

describe('write-back (Redis list drained in batches into Odoo)', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let conn: Redis;
  let prefix: string;
  let odoo: RecordingOdoo;
  let drainers: WritebackDrainer[];

  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis.stop();
  });
  beforeEach(() => {
    conn = new Redis(redis.url);
    prefix = `{t-${randomUUID()}}`;
    odoo = new RecordingOdoo();
    drainers = [];
  });
  afterEach(async () => {
    await Promise.all(drainers.map((d) => d.close()));
    await conn.quit();
  });

  const upd = (billId: number, status: 'submitted' | 'accepted' = 'submitted'): BillUpdate => ({ billId, values: { x_stet_status: status, x_stet_resource_id: `RES-${billId}` } });
  function drainer(opts: ConstructorParameters<typeof WritebackDrainer>[2] = {}) {
    const d = new WritebackDrainer(conn, odoo, { prefix, maxDelayMs: 50, pollMs: 20, retryDelayMs: 30, maxRetryDelayMs: 100, ...opts });
    drainers.push(d);
    return d;
  }

  it('WB-01 1,000 updates reach Odoo in at most 5 writeBillUpdates calls', async () => {
    const q = new WritebackQueue(conn, { prefix });
    await q.push(Array.from({ length: 1000 }, (_, i) => upd(i + 1)));
    drainer({ batchSize: 200 }).start();
    await waitFor(async () => (await q.pending()) === 0, 8000, 'list drained');
    expect(odoo.writeCalls.length).to.be.at.most(5);
    expect(odoo.writeCalls.flat()).to.have.length(1000);
    expect(odoo.bills.get(1000)!.resourceId).to.equal('RES-1000');
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
