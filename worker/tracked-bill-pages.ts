import type { BillStatus, TrackedBill } from '../connector/model/index.js';
import type { OdooPort } from './interfaces/odoo-port.js';

/**
 * The bills of these statuses one page at a time, by id (a cursor, not an
 * offset: bills leaving the status meanwhile skip none), each page handled
 * before the next is read: what a sync or a sweep holds stays one page,
 * whatever the number of bills (P4: 100k).
 */
export async function forEachTrackedPage(
  odoo: Pick<OdooPort, 'readTrackedBills'>,
  statuses: BillStatus[],
  pageSize: number,
  each: (page: TrackedBill[]) => Promise<void>,
): Promise<void> {
  for (let afterId = 0; ; ) {
    const page = await odoo.readTrackedBills({ statuses, afterId, limit: pageSize });
    await each(page);
    if (page.length < pageSize) return;
    afterId = Math.max(...page.map((b) => b.billId));
  }
}
