/**
 * RFC 4180 CSV: CRLF line ends, every field quoted only when needed (comma,
 * quote, CR/LF) with quotes doubled, a header row, UTF-8 with a BOM so Excel
 * and LibreOffice pick the encoding. Amounts use a '.' decimal point.
 */
import { REPORT_COLUMNS } from './columns.js';
import type { ReportRow } from './report-row.js';

export const CSV_BOM = '\uFEFF';

/** A text cell a spreadsheet would run as a formula gets a leading apostrophe (CSV injection). */
function neutralise(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv(rows: readonly ReportRow[]): string {
  const lines = [REPORT_COLUMNS.map((c) => csvField(c.title)).join(',')];
  for (const r of rows) {
    lines.push(
      REPORT_COLUMNS.map((c) => {
        const v = String(r[c.key]);
        return csvField(c.key === 'amount' ? v : neutralise(v));
      }).join(','),
    );
  }
  return CSV_BOM + lines.join('\r\n') + '\r\n';
}
