/** `stetpay report [--format csv|html|json] [--out FILE] [--since DATE] [--status S]`: the accountant's reconciliation report. */
import { writeFile } from 'node:fs/promises';
import { makeReport, parseStatuses, ReportFilterError, sinceToUtc, type ReportFormat } from '../report/index.js';
import { openOdoo } from '../connect/open-odoo.js';
import { UsageError } from '../errors.js';
import { loadConfig, requireSections } from '../config/index.js';

export interface ReportOptions {
  config?: string;
  format: ReportFormat;
  out?: string;
  since?: string;
  status?: string;
}

export async function run(o: ReportOptions): Promise<number> {
  const config = requireSections(loadConfig({ file: o.config }), ['odoo'], 'stetpay report');
  try {
    // a typo in a filter is bad usage: say so before calling Odoo
    if (o.since !== undefined) sinceToUtc(o.since, config.payments.timeZone);
    if (o.status !== undefined) parseStatuses(o.status);
  } catch (err) {
    throw err instanceof ReportFilterError ? new UsageError(`stetpay report: ${err.message}`) : err;
  }
  const odoo = await openOdoo(config.odoo);
  try {
    const source = `${new URL(config.odoo.url).host} / ${config.odoo.database}`;
    const report = await makeReport(odoo, { format: o.format, since: o.since, status: o.status, timeZone: config.payments.timeZone, source });
    if (o.out) {
      await writeFile(o.out, report.text, 'utf8');
      console.error(`stetpay report: ${report.rows.length} payment(s) written to ${o.out} (${o.format}).`);
    } else {
      process.stdout.write(report.text);
    }
    return 0;
  } finally {
    odoo.close();
  }
}
