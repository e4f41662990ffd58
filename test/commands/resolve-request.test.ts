/**
 * `stetpay resolve` on a bill of a request of several transfers (stet-1.6):
 * the bank has a request or lacks it as a whole, so the request is recorded
 * as not at the bank whole (each of its bills back among the approved ones,
 * its id retired once) or not at all, with a reason naming the request and
 * its other bills. Never one of its bills alone. Real Odoo dev server (daily
 * user), real Redis.
 */
import { expect } from 'chai';
import type { OdooClient } from '../../connector/odoo/index.js';
import { bulkPaymentId, paymentIds } from '../../connector/rules/index.js';
import { resolveNotAtBank, ResolveRefusedError } from '../../plugin/resolve/index.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import type { StetpayQueues } from '../../worker/index.js';
import { billRecord, notesOf, NOW, odooAndRedisPerSuite, queuedValues, setBill } from './support.js';

describe('commands: stetpay resolve on a bill of a request of several transfers (real Odoo dev server, real Redis)', function () {
  this.timeout(60_000);
  let server: RunningOdooDevServer;
  let odoo: OdooClient;
  let queues: StetpayQueues;
  let bills: number[];
  let next = 0;

  odooAndRedisPerSuite(24, (fx) => ({ server, client: odoo, queues, bills } = fx));

  /** Three bills of one request whose POST's answer was lost: each needs_review under the request's id. */
  async function lostRequest(statuses: string[] = ['needs_review', 'needs_review', 'needs_review']): Promise<{ ids: number[]; pid: string; names: string[] }> {
    const ids = bills.slice(next, next + statuses.length);
    next += statuses.length;
    const pid = bulkPaymentId(server.database, ids[0]!, 1);
    const members = ids.map((id) => paymentIds(server.database, id, 1).endToEndId).join(',');
    for (const [i, id] of ids.entries()) {
      await setBill(odoo, id, { ...queuedValues(server.database, id), x_stet_payment_information_id: pid, x_stet_request_members: members, x_stet_status: statuses[i] as 'needs_review', x_stet_status_reason: 'stetpay got no usable answer from the bank' });
    }
    return { ids, pid, names: ids.map((id) => String(billRecord(server, id).name)) };
  }
  const resolve = (bill: string) => resolveNotAtBank({ odoo, ledger: queues.ledger, jobState: (pid) => queues.jobState(pid), by: 'operator', now: () => NOW }, bill);

  it('RESOLVE-REQUEST-01 resolve on one bill of a request records the whole request as not at the bank: every bill back among the approved ones, its attempt closed, a note naming the request; the request\'s id retired once', async () => {
    const { ids, pid, names } = await lostRequest();
    const r = await resolve(names[1]!);
    expect(r.bills.map((b) => b.billId)).to.have.members(ids);
    expect(r.message).to.contain(`Bill ${names[1]}: payment request ${pid} (its 3 transfers: `).and.contain(`recorded as not at the bank, with its other bills ${names[0]}, ${names[2]}; the next run sends each in a new payment`);
    for (const id of ids) {
      const rec = billRecord(server, id);
      expect(rec, String(id)).to.include({ x_stet_status: false, x_stet_closed_attempt: 1 });
      const [note] = notesOf(server, id).slice(-1);
      expect(note).to.contain(`operator confirmed on 2026-03-02 08:00:00 UTC that the bank does not have payment request ${pid}`).and.contain(`(asked on bill ${names[1]})`);
    }
    expect(await queues.ledger.get(pid)).to.include({ state: 'released' });
    // The request's claim now answers "done": its id is never sent again.
  });

  it('RESOLVE-REQUEST-02 a request whose other bills are not all waiting for that check is refused, naming the request and each other bill with its status; nothing changes in Odoo or Redis', async () => {
    const { ids, pid, names } = await lostRequest(['needs_review', 'needs_review', 'submitted']);
    const before = ids.map((id) => ({ ...billRecord(server, id) }));
    const notes = ids.map((id) => notesOf(server, id).length);
    const e = await resolve(names[0]!).then(() => undefined, (err: unknown) => err);
    expect(e).to.be.instanceOf(ResolveRefusedError);
    const refusal = e as ResolveRefusedError;
    expect(refusal.refusal).to.equal('request_not_whole');
    expect(refusal.message).to.equal(
      `Bill ${names[0]}: payment ${paymentIds(server.database, ids[0]!, 1).endToEndId} is one of the transfers of request ${pid}, which the bank has or lacks as a whole, so stetpay records it as not at the bank whole or not at all. ` +
        `Its other bills are not all waiting for that check: ${names[1]} (needs_review), ${names[2]} (submitted). Look for request ${pid} in online banking and follow each bill there. Nothing was changed.`,
    );
    ids.forEach((id, i) => {
      expect(billRecord(server, id).x_stet_status).to.equal(before[i]!.x_stet_status);
      expect(notesOf(server, id)).to.have.length(notes[i]!);
    });
    expect(await queues.ledger.get(pid)).to.equal(null);
  });

  it('RESOLVE-REQUEST-03 a single transfer (NWM, P- ids) is resolved alone, as before', async () => {
    const id = bills[next++]!;
    await setBill(odoo, id, { ...queuedValues(server.database, id), x_stet_status: 'needs_review' });
    const r = await resolve(String(id));
    expect(r.bills.map((b) => b.billId)).to.deep.equal([id]);
    expect(r.message).to.contain(`payment ${paymentIds(server.database, id, 1).endToEndId} recorded as not at the bank; the next run sends a new payment (attempt 2, new ids).`);
    expect(billRecord(server, id)).to.include({ x_stet_status: false, x_stet_closed_attempt: 1 });
  });
});
