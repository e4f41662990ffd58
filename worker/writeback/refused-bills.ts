/** A bill whose result Odoo refused for good, and Odoo's reason. */
export interface RefusedBill {
  billId: number;
  message: string;
}

/**
 * The bills an Odoo write error says Odoo refused for good (the connector's
 * `OdooLoadError.refused`: a deleted bill, a value Odoo will never take);
 * [] when it names none (Odoo down, a field missing: the whole batch waits).
 * Read by shape, not class: the port may wrap or re-create the error.
 */
export function refusedBills(err: unknown): RefusedBill[] {
  const list = (err as { refused?: unknown } | null)?.refused;
  if (!Array.isArray(list)) return [];
  return list.filter((r): r is RefusedBill => Number.isInteger((r as RefusedBill)?.billId) && typeof (r as RefusedBill).message === 'string');
}
