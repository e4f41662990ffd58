/** `--since DATE` and `--status S` of `stetpay report`. */
import { TZDate } from '@date-fns/tz';
import { BILL_STATUSES, odooNow, type BillStatus } from '../../connector/model/index.js';
import { ReportFilterError } from '../errors.js';
import type { ReportRow } from './report-row.js';

export interface ReportFilters {
  /** Rows last updated on/after this: `YYYY-MM-DD` (midnight in `timeZone`) or an ISO date-time with a zone. */
  since?: string;
  /** One status or several (a comma-separated string is split). */
  status?: string | readonly string[];
  /** Zone of a `since` date. @defaultValue 'Europe/Paris' */
  timeZone?: string;
}

/** What the report is about, printed in its head. */
export interface ReportMeta {
  /** When the report was made (the command passes the clock). */
  generatedAt: Date;
  /** The filters applied. */
  filters?: Pick<ReportFilters, 'since' | 'status'>;
  /** Where the data came from, e.g. `odoo.example.com / prod` (no secret). */
  source?: string;
}

/** `--since` as the UTC `YYYY-MM-DD HH:MM:SS` it compares with (Odoo's datetime form). */
export function sinceToUtc(since: string, timeZone = 'Europe/Paris'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(since);
  let instant: Date;
  if (m) {
    instant = new TZDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 0, 0, 0, timeZone);
    if (instant.getDate() !== Number(m[3])) throw new ReportFilterError(`--since ${since} is not a calendar date (expected YYYY-MM-DD)`);
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(since)) {
    instant = new Date(since);
  } else {
    throw new ReportFilterError(`--since '${since}' is not a date: use YYYY-MM-DD (e.g. 2026-11-01) or an ISO date-time with a zone`);
  }
  if (Number.isNaN(instant.getTime())) throw new ReportFilterError(`--since '${since}' is not a valid date`);
  // TZDate prints its own zone: go through a plain Date for the UTC form.
  return odooNow(new Date(instant.getTime()));
}

export function parseStatuses(status: string | readonly string[]): BillStatus[] {
  const list = (typeof status === 'string' ? status.split(',') : [...status]).map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((s) => !(BILL_STATUSES as readonly string[]).includes(s));
  if (bad.length) throw new ReportFilterError(`--status ${bad.join(', ')} is not a status: use one of ${BILL_STATUSES.join(', ')}`);
  return list as BillStatus[];
}

/** Applies the filters; throws ReportFilterError with what to type instead. */
export function filterRows(rows: readonly ReportRow[], filters: ReportFilters = {}): ReportRow[] {
  const since = filters.since ? sinceToUtc(filters.since, filters.timeZone) : undefined;
  const statuses = filters.status !== undefined ? parseStatuses(filters.status) : undefined;
  return rows.filter((r) => (since === undefined || (r.updatedAt !== '' && r.updatedAt >= since)) && (!statuses?.length || statuses.includes(r.status)));
}
