/** The same rows as a plain-text table (stdout) and a markdown table (BENCHMARKS.md). */
import type { BenchRow } from './benchmark.js';
import { formatNumber, formatTarget, judge } from './verdict.js';

const HEADERS = ['case', 'target', 'measured', 'ratio', 'result', 'miss by', 'note'];

export function rowCells(row: BenchRow): string[] {
  const v = judge(row.target, row.measured);
  const measured = row.measured === null ? `not measured yet: ${row.notMeasured ?? 'no reason given'}` : `${formatNumber(row.measured)}${row.target.unit ? ' ' + row.target.unit : ''}`;
  return [row.case, formatTarget(row.target), measured, v.ratio === null ? '-' : v.ratio.toFixed(3), v.outcome, v.missBy || '-', row.note ?? ''];
}

export function textTable(rows: BenchRow[]): string {
  const body = rows.map(rowCells);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ').trimEnd();
  return [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('-+-'), ...body.map(line)].join('\n');
}

const md = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownTable(rows: BenchRow[]): string {
  return [`| ${HEADERS.join(' | ')} |`, `| ${HEADERS.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${rowCells(r).map(md).join(' | ')} |`)].join('\n');
}
