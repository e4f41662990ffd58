export { toReportRows, maskIban, maskIbansIn, type ReportRow } from './report-row.js';
export { totalsByStatus, type StatusTotal } from './totals.js';
export { filterRows, sinceToUtc, parseStatuses, ReportFilterError, type ReportFilters } from './report-filter.js';
export { REPORT_COLUMNS } from './columns.js';
export { renderCsv, csvField, CSV_BOM } from './render-csv.js';
export { renderHtml, groupedAmount, STATUS_COLOURS } from './render-html.js';
export { renderJson } from './render-json.js';
export type { ReportMeta } from './report-meta.js';
