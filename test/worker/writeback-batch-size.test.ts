import { expect } from 'chai';
import type { Redis } from 'ioredis';
import type { BillUpdate } from '../../connector/model/index.js';
import { bindOdooPort } from '../../worker/adapters/odoo-port.js';
import { readReservedBills } from '../../connector/odoo/read-reserved-bills.js';
import { readTrackedBills } from '../../connector/odoo/read-tracked-bills.js';
import { registerPayments } from '../../connector/odoo/register-payment.js';
import { writeBillUpdates } from '../../connector/odoo/write-bill-updates.js';
import { nextBatchSize } from '../../worker/writeback/writeback-batch-size.js';
import { WritebackDrainer } from '../../worker/writeback/writeback-drainer.js';
import { WritebackQueue } from '../../worker/writeback/writeback-queue.js';
import { clerkClient, devOdoo, TODAY } from '../odoo/helpers.js';
import { redisClientPerTest } from '../support/redis-per-suite.js';
import { RecordingOdoo, waitFor } from './support.js';

const SIZING = { targetMs: 2000, min: 20, max: 500 };

describe('write-back batches sized by time (issue 15)', function () {
  this.timeout(30_000);

  describe('the rule (nextBatchSize)', () => {
    it('WRITEBACK-SIZE-01 a write slower than the target shrinks the next batch to what would have taken the target: 500 rows in 8,300 ms -> 120', () => {
      expect(nextBatchSize(500, { items: 500, ms: 8300, ok: true }, SIZING)).to.equal(120);
      expect(nextBatchSize(500, { items: 500, ms: 2100, ok: true }, SIZING)).to.equal(476);
    });

    it('WRITEBACK-SIZE-02 a faster write grows the batch towards what fits the target, at most doubling, never above batchSize', () => {
      expect(nextBatchSize(120, { items: 120, ms: 1500, ok: true }, SIZING)).to.equal(160);
      expect(nextBatchSize(120, { items: 120, ms: 500, ok: true }, SIZING)).to.equal(240);
      expect(nextBatchSize(400, { items: 400, ms: 100, ok: true }, SIZING)).to.equal(500);
      expect(nextBatchSize(120, { items: 120, ms: 0, ok: true }, SIZING)).to.equal(240);
      expect(nextBatchSize(120, { items: 120, ms: 2000, ok: true }, SIZING)).to.equal(120);
    });

    it('WRITEBACK-SIZE-03 a small batch that was fast never shrinks the size; a very slow write never goes below minBatchSize', () => {
      expect(nextBatchSize(500, { items: 3, ms: 100, ok: true }, SIZING)).to.equal(500);
      expect(nextBatchSize(120, { items: 3, ms: 100, ok: true }, SIZING)).to.equal(120);
      expect(nextBatchSize(500, { items: 500, ms: 600_000, ok: true }, SIZING)).to.equal(20);
      expect(nextBatchSize(20, { items: 0, ms: 0, ok: true }, SIZING)).to.equal(20);
    });

    it('WRITEBACK-SIZE-04 a failed write shrinks the batch when it took longer than the target (a time-out), not when it failed fast (Odoo down)', () => {
      expect(nextBatchSize(500, { items: 500, ms: 30_000, ok: false }, SIZING)).to.equal(33);
      expect(nextBatchSize(500, { items: 500, ms: 3, ok: false }, SIZING)).to.equal(500);
      expect(nextBatchSize(120, { items: 120, ms: 500, ok: false }, SIZING)).to.equal(120);
    });
  });

  describe('the drainer', () => {
    let conn: Redis;
    let prefix: string;
    let drainers: WritebackDrainer[] = [];

    redisClientPerTest(
      (r) => ({ client: conn, prefix } = r),
      async () => {
        await Promise.all(drainers.map((d) => d.close()));
        drainers = [];
      },
    );

    const upd = (billId: number): BillUpdate => ({ billId, values: { x_stet_status: 'submitted', x_stet_resource_id: `RES-${billId}` } });

    /** An Odoo whose writes take `msPerRow` a row on a fake clock; a write that would take longer than `timeoutMs` fails then (the client's time-out). */
    class TimedOdoo extends RecordingOdoo {
      clock = 0;
      msPerRow = 5;
      timeoutMs = Infinity;
      override async writeBillUpdates(updates: BillUpdate[]): Promise<void> {
        const ms = updates.length * this.msPerRow;
        if (ms > this.timeoutMs) {
          this.clock += this.timeoutMs;
          this.writeCalls.push([]);
          throw new Error(`Odoo did not answer within ${this.timeoutMs} ms`);
        }
        this.clock += ms;
        return super.writeBillUpdates(updates);
      }
    }

    function drainer(odoo: TimedOdoo, opts: ConstructorParameters<typeof WritebackDrainer>[2] = {}): WritebackDrainer {
      const d = new WritebackDrainer(conn, odoo, { prefix, batchSize: 100, targetBatchMs: 200, minBatchSize: 5, maxDelayMs: 5, pollMs: 5, retryDelayMs: 5, maxRetryDelayMs: 5, now: () => odoo.clock, ...opts });
      drainers.push(d);
      return d;
    }

    it('WRITEBACK-SIZE-05 a slow Odoo gets smaller writes, each near the target; when it is fast again the batches grow back to batchSize', async () => {
      const odoo = new TimedOdoo();
      const q = new WritebackQueue(conn, { prefix });
      await q.push(Array.from({ length: 300 }, (_, i) => upd(i + 1)));
      const d = drainer(odoo);
      await d.flush();
      // 100 rows took 500 ms (target 200): 40 rows a batch from then on, 200 ms each
      expect(odoo.writeCalls.map((c) => c.length)).to.deep.equal([100, 40, 40, 40, 40, 40]);
      expect(d.batchSize).to.equal(40);
      odoo.msPerRow = 1;
      odoo.writeCalls = [];
      await q.push(Array.from({ length: 300 }, (_, i) => upd(1000 + i)));
      await d.flush();
      // 40 rows in 40 ms: 80 (at most doubling), then 100 (batchSize) while writes stay fast
      expect(odoo.writeCalls.map((c) => c.length)).to.deep.equal([40, 80, 100, 80]);
      expect(d.batchSize).to.equal(100);
      expect(odoo.bills.size).to.equal(600);
    });

    it('WRITEBACK-SIZE-06 a write that timed out stays in the list (nothing trimmed) and is written again in smaller batches, each bill once, in order', async () => {
      const odoo = new TimedOdoo();
      odoo.msPerRow = 20;
      odoo.timeoutMs = 1000;
      const q = new WritebackQueue(conn, { prefix });
      await q.push(Array.from({ length: 100 }, (_, i) => upd(i + 1)));
      const errors: number[] = [];
      drainer(odoo, { onError: (_e, pending) => errors.push(pending) }).start();
      await waitFor(async () => (await q.pending()) === 0, 8000, 'list drained');
      // 100 rows failed after 1,000 ms, nothing trimmed: 100 x 200 / 1,000 = 20; 20 rows took 400 ms: 10, which takes the target
      expect(errors).to.deep.equal([100]);
      expect(odoo.writeCalls.map((c) => c.length)).to.deep.equal([0, 20, 10, 10, 10, 10, 10, 10, 10, 10]);
      expect(odoo.writeCalls.flat().map((u) => u.billId)).to.deep.equal(Array.from({ length: 100 }, (_, i) => i + 1));
    });

    it('WRITEBACK-SIZE-07 against the Odoo dev server answering each load 4 ms a row: the first 200-row write takes over 800 ms, the next ones carry at most 200 x 200 / 800 = 50 rows; every bill written once', async () => {
      const server = await devOdoo({ seed: { invoices: 400, seed: 5, today: TODAY }, loadMsPerRow: 4 });
      const client = await clerkClient(server, { install: true });
      try {
        const bound = bindOdooPort(client, { writeBillUpdates, readTrackedBills, readReservedBills, registerPayments });
        const sizes: number[] = [];
        const port = { ...bound, writeBillUpdates: (u: BillUpdate[]) => (sizes.push(u.length), bound.writeBillUpdates(u)) };
        const ids = server.seedInfo!.billIds.slice(0, 400);
        const q = new WritebackQueue(conn, { prefix });
        await q.push(ids.map(upd));
        server.resetCalls();
        const d = new WritebackDrainer(conn, port, { prefix, batchSize: 200, targetBatchMs: 200, minBatchSize: 5, maxDelayMs: 5, pollMs: 5 });
        drainers.push(d);
        await d.flush();
        expect(sizes[0]).to.equal(200);
        expect(sizes.slice(1).every((n) => n >= 5 && n <= 50)).to.equal(true, `later batches ${sizes.join(', ')}`);
        expect(sizes.reduce((a, b) => a + b, 0)).to.equal(400);
        expect(server.calls()['account.move.load']).to.equal(sizes.length);
        const statuses = server.store.read('account.move', ids).map((b) => b.x_stet_status);
        expect(statuses.every((s) => s === 'submitted')).to.equal(true);
      } finally {
        client.close();
        await server.close();
      }
    });
  });
});
