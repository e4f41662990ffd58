/** Counts and amounts per status, summed in integer cents (never floats). */
import { BILL_STATUSES, type BillStatus } from '../../connector/model/index.js';
import type { ReportRow } from './report-row.js';

export interface StatusTotal {
  status: BillStatus;
  currency: string;
  count: number;
  /** Integer sum of the rows' cents. */
  amountCents: number;
}

/** One entry per (status, currency) present, in the design's status order, then currency. */
export function totalsByStatus(rows: readonly ReportRow[]): StatusTotal[] {
  const map = new Map<string, StatusTotal>();
  for (const r of rows) {
    const key = `${r.status}\u0000${r.currency}`;
    const t = map.get(key) ?? { status: r.status, currency: r.currency, count: 0, amountCents: 0 };
    t.count += 1;
    t.amountCents += r.amountCents;
    map.set(key, t);
  }
  const order = (s: string) => {
    const i = (BILL_STATUSES as readonly string[]).indexOf(s);
    return i < 0 ? BILL_STATUSES.length : i;
  };
  return [...map.values()].sort((a, b) => order(a.status) - order(b.status) || (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}
