/**
 * `stetpay export pain001 [--out FILE] [--version 09|03] [--bills ID,ID]`: the fallback transfer file when the
 * bank's API is down. With a bank configured, once the file is written it asks the bank's API and, when the API
 * cannot be used, prints the bank's fallback link into online banking beside the file (when the profile has one).
 */
import { getBankProfile } from '../../connector/profiles/index.js';
import { formatCents } from '../../connector/rules/index.js';
import { StetpayQueues } from '../../worker/index.js';
import { bankApiStatus, fallbackAdvice } from '../app/bank-status.js';
import { openOdoo } from '../app/open-odoo.js';
import { UsageError } from '../cli-args.js';
import { loadConfig, requireSections } from '../config/index.js';
import { defaultExportFileName, exportPain001 } from '../export/index.js';

export interface ExportOptions {
  config?: string;
  out?: string;
  version: '09' | '03';
  bills?: string;
}

function billIds(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = parts.filter((p) => !/^\d+$/.test(p) || Number(p) < 1);
  if (parts.length === 0 || bad.length) throw new UsageError(`stetpay export: --bills takes Odoo bill ids separated by commas, e.g. --bills 42,43 (got '${text}')`);
  return [...new Set(parts.map(Number))];
}

export async function run(o: ExportOptions): Promise<number> {
  const version = o.version;
  const ids = billIds(o.bills);
  const config = requireSections(loadConfig({ file: o.config }), ['odoo', 'redis'], 'stetpay export');
  const now = new Date();
  const outPath = o.out ?? defaultExportFileName(now, config.payments.timeZone);
  const odoo = await openOdoo(config.odoo);
  try {
    const queues = await StetpayQueues.open({ connection: config.redis, prefix: config.redis.prefix });
    try {
      const r = await exportPain001(
        { odoo, queues, profile: getBankProfile(config.bank?.profile ?? 'stet-1.6'), payments: config.payments, registeredBeneficiaries: config.bank?.registeredBeneficiaries, now },
        { outPath, version, billIds: ids },
      );
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
