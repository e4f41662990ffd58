/**
 * Regression: two drains in one process (the loop, `flush()` from the status
 * sync, the consent callback) shared one lock token, so both wrote the same
 * head of the list and both trimmed it: the second trim removed updates nobody
 * wrote. Drains are now serialised per drainer.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { WritebackDrainer } from '../../worker/writeback/writeback-drainer.js';
import { WritebackQueue } from '../../worker/writeback/writeback-queue.js';
import { RecordingOdoo } from '../worker/support.js';
import { redisClientPerSuite } from '../support/redis-per-suite.js';

describe('write-back drains in one process', function () {
  this.timeout(20_000);
  let conn: Redis;

  redisClientPerSuite((r) => ({ client: conn } = r));

  it('WB-SERIAL-01 concurrent flush() and drainOnce() calls in one process lose no update', async () => {
    const prefix = `{wb-${randomUUID()}}`;
    const odoo = new RecordingOdoo();
    // A slow Odoo widens the window in which two drains overlap.
    const write = odoo.writeBillUpdates.bind(odoo);
    odoo.writeBillUpdates = async (u) => {
      await new Promise((r) => setTimeout(r, 15));
      return write(u);
    };
    const q = new WritebackQueue(conn, { prefix });
    await q.push(Array.from({ length: 600 }, (_, i) => ({ billId: i + 1, values: { x_stet_status: 'submitted' as const, x_stet_resource_id: `RES-${i + 1}` } })));
    const drainer = new WritebackDrainer(conn, odoo, { prefix, batchSize: 50, pollMs: 5, maxDelayMs: 5 });
    drainer.start();
    try {
      await Promise.all([drainer.flush(), drainer.flush(), ...Array.from({ length: 8 }, () => drainer.drainOnce()), drainer.flush()]);
      expect(await q.pending()).to.equal(0);
      const written = new Set(odoo.writeCalls.flat().map((u) => u.billId));
      const missing = Array.from({ length: 600 }, (_, i) => i + 1).filter((id) => !written.has(id));
      expect(missing, 'updates removed from the list but never written').to.deep.equal([]);
    } finally {
      await drainer.close();
    }
  });
});
