/**
 * `stetpay export pain001 [--out FILE] [--version 09|03] [--bills BILL,BILL]`: the fallback transfer file when the
 * bank's API is down. With a bank configured, once the file is written it asks the bank's API and, when the API
 * cannot be used, prints the bank's fallback link into online banking beside the file (when the profile has one).
 */
import { formatCents } from '../../connector/rules/index.js';
import { StetpayQueues } from '../../worker/index.js';
import { bankApiStatus, fallbackAdvice } from '../connect/bank-status.js';
import { openOdoo } from '../connect/open-odoo.js';
import { UsageError } from '../errors.js';
import { loadConfig, requireSections } from '../config/index.js';
import { defaultExportFileName, exportPain001 } from '../export/index.js';

export interface ExportOptions {
  config?: string;
  out?: string;
  version: '09' | '03';
  bills?: string;
}

/** `--bills 42,BILL/2026/11/0043`: Odoo ids or bill numbers, as cancel and resolve take them. */
function billRefs(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const parts = [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
  if (parts.length === 0) throw new UsageError(`stetpay export: --bills takes bill numbers or Odoo ids separated by commas, e.g. --bills BILL/2026/11/0042,43 (got '${text}')`);
  return parts;
}

export async function run(o: ExportOptions): Promise<number> {
  const version = o.version;
  const ids = billRefs(o.bills);
  const config = requireSections(loadConfig({ file: o.config }), ['odoo', 'redis'], 'stetpay export');
  const now = new Date();
  const outPath = o.out ?? defaultExportFileName(now, config.payments.timeZone);
  const odoo = await openOdoo(config.odoo);
  try {
    const queues = await StetpayQueues.open({ connection: config.redis, prefix: config.redis.prefix });
    try {
      const r = await exportPain001({ odoo, queues, payments: config.payments, now }, { outPath, version, billIds: ids });
      for (const s of r.skipped) console.error(`  not exported: ${s.name}: ${s.reason}`);
      for (const s of r.recorded) console.error(`  recorded as exported: ${s.name}: ${s.reason}`);
      if (!r.file) {
        console.log(`stetpay export: no payment to export${r.skipped.length ? ` (${r.skipped.length} left out, see above)` : ' (no queued bill waits to be sent)'}; no file written.`);
        return 0;
      }
      console.log(
        `stetpay export: ${r.exported.length} payment(s), ${formatCents(r.totalCents)} EUR, written to ${r.file} (pain.001.001.${version}, message ${r.messageId}). ` +
          `Upload it in online banking; the bills show exported in Odoo and the API will never send them.`,
      );
      // Where to upload it: when the API is down, the bank's own fallback link into online banking.
      if (config.bank) for (const line of fallbackAdvice(await bankApiStatus(config.bank))) console.log(line);
      return 0;
    } finally {
      await queues.close();
    }
  } finally {
    odoo.close();
  }
}
