/** The report for scripts: rows and totals, amounts in integer cents and as text. */
import type { ReportMeta } from './report-filter.js';
import type { ReportRow } from './report-row.js';
import { formatCents } from '../../connector/rules/money.js';
import type { StatusTotal } from './totals.js';

export function renderJson(rows: readonly ReportRow[], totals: readonly StatusTotal[], meta: ReportMeta): string {
  return (
    JSON.stringify(
      {
        generatedAt: meta.generatedAt.toISOString(),
        source: meta.source ?? null,
        filters: { since: meta.filters?.since ?? null, status: meta.filters?.status ?? null },
        count: rows.length,
        totals: totals.map((t) => ({ ...t, amount: formatCents(t.amountCents) })),
        rows,
      },
      null,
      2,
    ) + '\n'
  );
}
