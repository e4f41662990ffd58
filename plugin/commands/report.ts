/** `stetpay report [--format csv|html|json] [--out FILE] [--since DATE] [--status S]`: the accountant's reconciliation report. */
import { writeFile } from 'node:fs/promises';
import { parseStatuses, ReportFilterError, sinceToUtc } from '../report/index.js';
import { openOdoo } from '../app/open-odoo.js';
import { oneOf, parseCommandArgs, printError, UsageError } from '../cli-args.js';
import { loadConfig, requireSections } from '../config/index.js';
import { makeReport, REPORT_FORMATS } from '../report-command/index.js';

export async function run(args: string[]): Promise<number> {
  try {
    const { values } = parseCommandArgs('report', args, {
      format: { type: 'string', default: 'csv' },
      out: { type: 'string' },
      since: { type: 'string' },
      status: { type: 'string' },
    });
    const format = oneOf('report', 'format', values.format, REPORT_FORMATS);
    const config = requireSections(loadConfig({ file: values.config }), ['odoo'], 'stetpay report');
    try {
      // a typo in a filter is bad usage: say so before calling Odoo
      if (values.since !== undefined) sinceToUtc(values.since, config.payments.timeZone);
      if (values.status !== undefined) parseStatuses(values.status);
    } catch (err) {
      throw err instanceof ReportFilterError ? new UsageError(`stetpay report: ${err.message}`) : err;
    }
    const odoo = await openOdoo(config.odoo);
    try {
      const source = `${new URL(config.odoo.url).host} / ${config.odoo.database}`;
      const report = await makeReport(odoo, { format, since: values.since, status: values.status, timeZone: config.payments.timeZone, source });
      if (values.out) {
        await writeFile(values.out, report.text, 'utf8');
        console.error(`stetpay report: ${report.rows.length} payment(s) written to ${values.out} (${format}).`);
      } else {
        process.stdout.write(report.text);
      }
      return 0;
    } finally {
      odoo.close();
    }
  } catch (err) {
    return printError('report', err);
  }
}
