/** `BILL` as a person types it: the bill number (`BILL/2026/11/0001`) or Odoo's numeric id. */
import type { TrackedBill } from '../connector/model/index.js';
import { readTrackedBills, type OdooClient } from '../connector/odoo/index.js';
import { CommandFailure } from './errors.js';

/** The bill as stetpay tracks it. @throws CommandFailure when no bill (or several) answers to `ref`. */
export async function findBill(client: OdooClient, ref: string): Promise<TrackedBill> {
  const text = ref.trim();
  let id: number;
  if (/^\d+$/.test(text)) {
    id = Number(text);
  } else {
    const ids = await client.call<number[]>('account.move', 'search', [[['name', '=', text], ['move_type', 'in', ['in_invoice', 'in_refund', 'in_receipt']]]], { limit: 2 });
    if (ids.length === 0) throw new CommandFailure(`no vendor bill is numbered '${text}' in Odoo: check the number (e.g. BILL/2026/11/0001) or give the bill's id`);
    if (ids.length > 1) throw new CommandFailure(`several vendor bills are numbered '${text}': give the bill's numeric id instead`);
    id = ids[0]!;
  }
  const [bill] = await readTrackedBills(client, { billIds: [id] });
  if (!bill) throw new CommandFailure(`bill ${text} is not in Odoo`);
  return bill;
}
