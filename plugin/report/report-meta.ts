import type { ReportFilters } from './report-filter.js';

/** What the report is about, printed in its head. */
export interface ReportMeta {
  /** When the report was made (the command passes the clock). */
  generatedAt: Date;
  /** The filters applied. */
  filters?: Pick<ReportFilters, 'since' | 'status'>;
  /** Where the data came from, e.g. `odoo.example.com / prod` (no secret). */
  source?: string;
}
