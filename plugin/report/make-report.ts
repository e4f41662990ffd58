/**
 * `stetpay report` without the terminal: read every bill stetpay tracks from
 * Odoo, make the rows, filter, render. The filters are checked before Odoo is
 * called, so a typo costs nothing.
 */
import { readTrackedBills, type OdooClient } from '../../connector/odoo/index.js';
import { filterRows, parseStatuses, sinceToUtc } from './report-filter.js';
import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderJson } from './render-json.js';
import { toReportRows, type ReportRow } from './report-row.js';
import { totalsByStatus, type StatusTotal } from './totals.js';
import { withExecutedPayments } from './executed-payments.js';

export const REPORT_FORMATS = ['csv', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface MakeReportOptions {
  /** @defaultValue 'csv' */
  format?: ReportFormat;
  /** `YYYY-MM-DD` (midnight in `timeZone`) or an ISO date-time with a zone. */
  since?: string;
  /** One status or a comma-separated list. */
  status?: string;
  /** Zone of `since`. @defaultValue 'Europe/Paris' */
  timeZone?: string;
  /** When the report is made. @defaultValue new Date() */
  now?: Date;
  /** Printed in the report's head, e.g. `odoo.example.com / prod` (no secret). */
  source?: string;
}

export interface Report {
  text: string;
  rows: ReportRow[];
  totals: StatusTotal[];
}

/** @throws ReportFilterError for a bad `since`/`status` (before any call); Odoo errors as the connector types them. */
export async function makeReport(client: OdooClient, o: MakeReportOptions = {}): Promise<Report> {
  const timeZone = o.timeZone ?? 'Europe/Paris';
  if (o.since !== undefined) sinceToUtc(o.since, timeZone);
  if (o.status !== undefined) parseStatuses(o.status);
  const tracked = await withExecutedPayments(client, await readTrackedBills(client, { withIban: true }));
  const rows = filterRows(toReportRows(tracked), { since: o.since, status: o.status, timeZone });
  const totals = totalsByStatus(rows);
  const meta = { generatedAt: o.now ?? new Date(), filters: { since: o.since, status: o.status }, source: o.source };
  const format = o.format ?? 'csv';
  const text = format === 'json' ? renderJson(rows, totals, meta) : format === 'html' ? renderHtml(rows, totals, meta) : renderCsv(rows);
  return { text, rows, totals };
}
