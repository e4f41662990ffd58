/**
 * `stetpay run [--dry-run] [--json] [--wait] [--timeout S] [--no-bank-check]`: the nightly job, by hand.
 * A bank that cannot be reached does not stop it: the bills are reserved and queued all the same
 * (for the workers once the bank answers, or for `export pain001`), and the run says so. A set-up
 * error (a certificate, the CA, a URL) or refused credentials stop it before anything is reserved.
 */
import { getBankProfile } from '../../connector/profiles/index.js';
import { StetpayQueues } from '../../worker/index.js';
import { CommandFailure } from '../errors.js';
import { configFor } from '../config/index.js';
import { bankApiStatus } from '../connect/bank-status.js';
import { openOdoo } from '../connect/open-odoo.js';
import { openPayeeVerifier } from '../run/payee-checks.js';
import { favourSmallHeap } from '../runtime/small-heap.js';
import { progressBar, renderRunSummary } from '../run/render-summary.js';
import { runPayments } from '../run/run-payments.js';
import { waitForSettled } from '../run/wait-for-settled.js';

export interface RunOptions {
  config?: string;
  dryRun?: boolean;
  json?: boolean;
  wait?: boolean;
  /** Seconds --wait waits at most. */
  timeout: number;
  /** false with --no-bank-check. */
  bankCheck: boolean;
}

export async function run(o: RunOptions): Promise<number> {
  favourSmallHeap(); // under 200 MB at 100k bills (P4)
  const dryRun = o.dryRun === true;
  const config = configFor('run', o.config, dryRun ? (['odoo', 'bank', 'callback'] as const) : (['odoo', 'bank', 'callback', 'redis'] as const));
  const profile = getBankProfile(config.bank.profile);
  // The run sends nothing itself. It asks the bank first: a set-up mistake stops it before any bill moves;
  // a bank that is down does not (the bills wait as queued for the workers, or for export pain001).
  const queues = dryRun ? undefined : await StetpayQueues.open({ connection: config.redis!, prefix: config.redis!.prefix });
  let bank;
  try {
    // Its requests wait for the workers' shared rate limit.
    bank = dryRun || !o.bankCheck ? undefined : await bankApiStatus(config.bank, { fallback: false, rate: queues && { redis: queues.redis, prefix: queues.prefix } });
    if (bank?.api === 'misconfigured') throw new CommandFailure(`${bank.cause} Nothing was reserved or queued.`);
  } catch (err) {
    await queues?.close();
    throw err;
  }
  const bankDown = bank?.api === 'down' ? bank.cause : undefined;
  const odoo = await openOdoo(config.odoo).catch(async (err: unknown) => {
    await queues?.close();
    throw err;
  });
  const payeeVerifier = openPayeeVerifier(config.vop);
  try {
    // On a terminal (and not for --json), a bar per step: the bills checked and reserved, then with --wait the payments settled.
    const showBars = process.stderr.isTTY && !o.json;
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
    // Payments reserved for the signatory settle when she opens them: --wait waits for the workers' only.
    if (o.wait && !dryRun && summary.queuedBillIds.length && !bankDown && summary.forSignatory === 0) {
      const bar = progressBar('payments settled', showBars);
      bar?.start(summary.queuedBillIds.length, 0);
      const r = await waitForSettled(odoo, summary.queuedBillIds, { timeoutMs: o.timeout * 1000, onProgress: (n) => bar?.update(n) });
      bar?.stop();
      pendingAfterWait = r.pending;
    }
    const bankApi = bank === undefined ? 'not-checked' : bank.api;
    if (o.json) console.log(JSON.stringify({ ...summary, queuedBillIds: undefined, stillQueuedAfterWait: pendingAfterWait.length, bankApi, ...(bankDown ? { bankDown } : {}) }));
    else {
      console.log(renderRunSummary(summary));
      if (bankDown) console.log('\n' + bankDownNotice(bankDown, summary.queuedBillIds.length, o.wait === true));
      if (o.wait && summary.forSignatory) console.log(`\n--wait: the ${summary.forSignatory} payment(s) wait for the signatory, who sends each to the bank from the signatory's page; nothing to wait for here.`);
      if (pendingAfterWait.length) console.log(`\n${pendingAfterWait.length} payment(s) still queued after --timeout: is a \`stetpay worker\` running?`);
    }
    return pendingAfterWait.length ? 1 : 0;
  } finally {
    await queues?.close();
    payeeVerifier?.close();
    odoo.close();
  }
}

/** What the person reads when the bank could not be used: the bills are safe, and what happens next. */
export function bankDownNotice(cause: string, queued: number, waitAsked: boolean): string {
  const lines = [`The bank's API cannot be used right now; the bills were checked and reserved all the same.`, `  ${cause}`];
  if (queued > 0) {
    lines.push(
      `${queued} payment(s) wait as queued in Odoo, nothing was sent: \`stetpay worker\` sends them once the bank answers; ` +
        `if it stays down, \`stetpay export pain001\` puts them in a file for online banking (README, "When the bank's API is down").`,
    );
    if (waitAsked) lines.push('--wait was not honoured: no payment can settle while the bank is down.');
  }
  return lines.join('\n');
}
