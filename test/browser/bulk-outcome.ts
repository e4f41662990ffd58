/** What the bulk browser tests check of a request of several transfers once the bank answered, bill by bill (PART). */
import { expect } from 'chai';
import { readTrackedBills } from '../../connector/odoo/index.js';
import type { TrackedBill } from '../../connector/model/index.js';
import type { Stack } from './stack.js';

/**
 * After one approval of the request: the transfers to `rejectedIban` were refused on their own
 * (RJCT AC04, attempt closed), every other bill is accepted. Returns the bills.
 */
export async function expectPartlyRejected(stack: Stack, billIds: number[], rejectedIban: string): Promise<TrackedBill[]> {
  const bills = await readTrackedBills(stack.runtime.odoo, { billIds, withIban: true });
  const refused = bills.filter((b) => b.supplierIban === rejectedIban);
  expect(refused.length).to.be.at.least(1);
  for (const b of bills) {
    if (refused.includes(b)) {
      expect(b, b.name).to.include({ status: 'rejected', bankStatus: 'RJCT' });
      expect(b.reason).to.contain('because the beneficiary account is closed (bank status RJCT, reason AC04)');
      expect(b.closedAttempt, 'its attempt closed in Odoo').to.equal(b.attempt);
    } else expect(b, b.name).to.include({ status: 'accepted' });
  }
  return bills;
}

/**
 * Past the execution date: the accepted bills are executed and registered once each with their own
 * end-to-end id as memo; the rejected ones are not. Returns the bills.
 */
export async function expectExecutedButRejected(stack: Stack, billIds: number[], rejectedIban: string): Promise<TrackedBill[]> {
  const bills = await readTrackedBills(stack.runtime.odoo, { billIds, withIban: true });
  for (const b of bills) {
    if (b.supplierIban === rejectedIban) expect(b.status, b.name).to.equal('rejected');
    else expect(b, b.name).to.include({ status: 'executed', bankStatus: 'ACSC' });
  }
  const memos = await stack.runtime.odoo.call<{ ref?: string }[]>('account.payment', 'search_read', [[]], { fields: ['ref'] });
  expect(memos.map((m) => m.ref).sort()).to.deep.equal(bills.filter((b) => b.status === 'executed').map((b) => b.endToEndId).sort());
  return bills;
}
