/** `stetpay run [--dry-run] [--json] [--wait] [--timeout S]`: the nightly job, by hand. */
import { setFlagsFromString } from 'node:v8';
import { StetpayQueues } from '../../worker/index.js';
import { parseCommandArgs, printError } from '../cli-args.js';
import { configFor } from '../app/command-support.js';
import { checkBankReachable } from '../app/bank-preflight.js';
import { openBank } from '../app/open-bank.js';
import { openOdoo } from '../app/open-odoo.js';
import { openPayeeVerifier } from '../app/open-vop.js';
import { progressBar } from '../run/progress-bar.js';
import { renderRunSummary } from '../run/render-summary.js';
import { runPayments } from '../run/run-payments.js';
import { waitForSettled } from '../run/wait-for-settled.js';

export async function run(args: string[]): Promise<number> {
  // The run holds one page of bills at a time (some 35 MB live at 100k bills), but V8 lets garbage
  // pile up to several times that between collections: favouring size keeps the run under 200 MB
  // for about a fifth more CPU (BENCHMARKS.md, P4). A GC heuristic: it changes no result.
  setFlagsFromString('--optimize-for-size');
  try {
    const { values } = parseCommandArgs('run', args, {
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      wait: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '600' },
      'no-bank-check': { type: 'boolean', default: false },
    });
    const dryRun = values['dry-run'] === true;
    const config = configFor('run', values.config, dryRun ? (['odoo', 'bank', 'callback'] as const) : (['odoo', 'bank', 'callback', 'redis'] as const));
    const odoo = await openOdoo(config.odoo);
    const { client: stet, profile } = openBank(config.bank);
    try {
      // The run sends nothing itself; it checks the bank lets us in before reserving bills for it.
      if (!dryRun && !values['no-bank-check']) await checkBankReachable(stet, config.bank.apiBaseUrl);
    } finally {
      stet.close();
    }
    const queues = dryRun ? undefined : await StetpayQueues.open({ connection: config.redis!, prefix: config.redis!.prefix });
    const payeeVerifier = openPayeeVerifier(config.vop);
    try {
      // On a terminal (and not for --json), a bar per step: the bills checked and reserved, then with --wait the payments settled.
      const showBars = process.stderr.isTTY && !values.json;
      const checking = progressBar('bills checked', showBars);
      let summary;
      try {
        summary = await runPayments({
          odoo,
          config,
          profile,
          queues,
          payeeVerifier,
          onProgress: (seen, total) => (seen === 0 ? checking?.start(total, 0) : checking?.update(seen)),
        });
      } finally {
        checking?.stop();
      }
      let pendingAfterWait: number[] = [];
      if (values.wait && !dryRun && summary.queuedBillIds.length) {
        const bar = progressBar('payments settled', showBars);
        bar?.start(summary.queuedBillIds.length, 0);
        const r = await waitForSettled(odoo, summary.queuedBillIds, { timeoutMs: Number(values.timeout) * 1000, onProgress: (n) => bar?.update(n) });
        bar?.stop();
        pendingAfterWait = r.pending;
      }
      if (values.json) console.log(JSON.stringify({ ...summary, queuedBillIds: undefined, stillQueuedAfterWait: pendingAfterWait.length }));
      else {
        console.log(renderRunSummary(summary));
        if (pendingAfterWait.length) console.log(`\n${pendingAfterWait.length} payment(s) still queued after --timeout: is a \`stetpay worker\` running?`);
      }
      return pendingAfterWait.length ? 1 : 0;
    } finally {
      await queues?.close();
      payeeVerifier?.close();
      odoo.close();
    }
  } catch (err) {
    return printError('run', err);
  }
}
