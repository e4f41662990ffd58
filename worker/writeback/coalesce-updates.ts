import type { BillUpdate } from '../../connector/model/index.js';

/**
 * Merges updates of the same bill, in order (later values win, notes kept in
 * order), so one batch writes each bill once with its latest state.
 */
export function coalesceUpdates(updates: BillUpdate[]): BillUpdate[] {
  const byBill = new Map<number, BillUpdate>();
  for (const u of updates) {
    const prev = byBill.get(u.billId);
    if (!prev) {
      byBill.set(u.billId, { billId: u.billId, values: { ...u.values }, ...(u.note ? { note: u.note } : {}) });
      continue;
    }
    prev.values = { ...prev.values, ...u.values };
    if (u.note) prev.note = prev.note ? `${prev.note}\n${u.note}` : u.note;
  }
  return [...byBill.values()];
}
