/**
 * One self-contained HTML page (inline CSS, no script, no network): a summary
 * per status at the top, then the table, status colours. Every value is escaped.
 */
import { odooNow, type BillStatus } from '../../connector/model/index.js';
import { escapeHtml } from '../html/escape-html.js';
import { REPORT_COLUMNS } from './columns.js';
import type { ReportMeta } from './report-filter.js';
import { formatCents } from '../../connector/rules/money.js';
import type { ReportRow } from './report-row.js';
import type { StatusTotal } from './totals.js';

/**
 * Background and text colour per status, in BILL_STATUSES order (the stylesheet
 * follows it): grey and blue on the way, green paid, red refused or never sent,
 * orange and yellow a person must act, purple sent by file.
 */
export const STATUS_COLOURS: Record<BillStatus, { bg: string; fg: string }> = {
  queued: { bg: '#eaeef2', fg: '#424a53' }, submitted: { bg: '#ddf4ff', fg: '#0550ae' },
  accepted: { bg: '#dafbe1', fg: '#116329' }, executed: { bg: '#1a7f37', fg: '#ffffff' },
  rejected: { bg: '#ffebe9', fg: '#a40e26' }, cancelled: { bg: '#eaeef2', fg: '#6e7781' }, invalid: { bg: '#ffebe9', fg: '#82071e' },
  needs_review: { bg: '#fff1e5', fg: '#953800' }, expired: { bg: '#fff8c5', fg: '#7d4e00' },
  exported: { bg: '#fbefff', fg: '#6639ba' }, withdrawn: { bg: '#eaeef2', fg: '#82071e' }, held: { bg: '#fff8c5', fg: '#9a6700' },
};

/** `1234567` cents -> `12 345.67` (narrow no-break spaces between thousands). */
export function groupedAmount(cents: number): string {
  const [int = '0', dec = '00'] = formatCents(cents).split('.');
  const neg = int.startsWith('-');
  const digits = neg ? int.slice(1) : int;
  return `${neg ? '-' : ''}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202F')}.${dec}`;
}

/** Ids, codes and dates stay on one line (broken at a hyphen they are misread); names and reasons wrap. */
const ONE_LINE = new Set<string>(['billNumber', 'supplierIban', 'requestedExecutionDate', 'executedDate', 'endToEndId', 'paymentInformationId', 'resourceId', 'bankStatus', 'updatedAt']);

function cellClass(key: string): string {
  return key === 'amount' ? ' class="num"' : ONE_LINE.has(key) ? ' class="nw"' : key === 'reason' ? ' class="why"' : '';
}

function badge(status: BillStatus): string {
  return `<span class="st st-${status}">${escapeHtml(status.replace('_', ' '))}</span>`;
}

export function renderHtml(rows: readonly ReportRow[], totals: readonly StatusTotal[], meta: ReportMeta): string {
  const css = Object.entries(STATUS_COLOURS).map(([s, c]) => `.st-${s}{background:${c.bg};color:${c.fg}}`).join('\n');
  const filters = [
    meta.filters?.since ? `since ${meta.filters.since}` : '',
    meta.filters?.status ? `status ${Array.isArray(meta.filters.status) ? meta.filters.status.join(', ') : meta.filters.status}` : '',
  ].filter(Boolean);
  const cards = totals
    .map((t) => `<div class="card"><div>${badge(t.status)}</div><div class="n">${t.count}</div><div class="a">${groupedAmount(t.amountCents)} ${escapeHtml(t.currency)}</div></div>`)
    .join('\n');
  const head = REPORT_COLUMNS.map((c) => `<th${c.key === 'amount' ? ' class="num"' : ''}>${escapeHtml(c.title)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${REPORT_COLUMNS.map((c) => {
          if (c.key === 'status') return `<td>${badge(r.status)}</td>`;
          if (c.key === 'amount') return `<td class="num">${groupedAmount(r.amountCents)}</td>`;
          return `<td${cellClass(c.key)}>${escapeHtml(String(r[c.key]))}</td>`;
        }).join('')}</tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>stetpay reconciliation report</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:1.5rem}
h1{font-size:1.4rem;margin:0 0 .25rem}.meta{color:#59636e;margin:0 0 1rem}
.summary{display:flex;flex-wrap:wrap;gap:.75rem;margin:0 0 1.5rem}
.card{border:1px solid #d0d7de;border-radius:6px;padding:.6rem .9rem;min-width:9rem}
.card .n{font-size:1.5rem;font-weight:600}.card .a{color:#424a53;font-variant-numeric:tabular-nums}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{border-bottom:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa;position:sticky;top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.nw{white-space:nowrap;font-variant-numeric:tabular-nums}td.why{min-width:18rem}
.st{display:inline-block;border-radius:1em;padding:.05rem .6rem;font-size:.8rem;white-space:nowrap}
${css}
</style></head>
<body>
<h1>Reconciliation report</h1>
<p class="meta">Generated ${escapeHtml(odooNow(meta.generatedAt))} UTC${meta.source ? ` from ${escapeHtml(meta.source)}` : ''} · ${rows.length} payment${rows.length === 1 ? '' : 's'}${filters.length ? ` · ${escapeHtml(filters.join(' · '))}` : ''}</p>
<section class="summary" aria-label="Totals per status">
${cards || '<p>No payment matches.</p>'}
</section>
<table><thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody></table>
</body></html>
`;
}
