import { readTrackedBills, type OdooClient } from '../../connector/odoo/index.js';

/**
 * Waits until none of the bills is still `queued` in Odoo: each has been sent
 * (or refused) and its result written back. Odoo is the record, so that is
 * what is read, in one batched call per poll.
 */
export async function waitForSettled(
  odoo: OdooClient,
  billIds: number[],
  opts: { timeoutMs: number; pollMs?: number; onProgress?: (settled: number, total: number) => void },
): Promise<{ settled: number; pending: number[] }> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const bills = billIds.length ? await readTrackedBills(odoo, { billIds }) : [];
    const pending = bills.filter((b) => b.status === 'queued').map((b) => b.billId);
    opts.onProgress?.(billIds.length - pending.length, billIds.length);
    if (pending.length === 0 || Date.now() >= deadline) return { settled: billIds.length - pending.length, pending };
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
  }
}
