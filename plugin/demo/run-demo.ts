/**
 * The demo: the main job on embedded defaults, start to finish.
 * install -> run -> workers until every payment is settled -> the sandbox's
 * clock moved past the execution dates -> status sync until final -> summary.
 */
import { installFields, readTrackedBills } from '../../connector/odoo/index.js';
import { loadConfig, requireSections } from '../config/index.js';
import { createLogger } from '../runtime/logger.js';
import { openBank } from '../connect/open-bank.js';
import { openOdoo } from '../connect/open-odoo.js';
import { openPayeeVerifier, type PayeeCheckStats } from '../run/payee-checks.js';
import { startWorkerRuntime } from '../runtime/worker-runtime.js';
import { runPayments } from '../run/run-payments.js';
import { waitForSettled } from '../run/wait-for-settled.js';
import { cleanUpOnInterrupt } from '../runtime/process-cleanup.js';
import { startDemoParts } from './embedded-parts.js';

export interface DemoSummary {
  /** Approved bills the run read. */
  bills: number;
  /** Bills per stetpay status in Odoo at the end. */
  byStatus: Record<string, number>;
  /** Bills refused before the bank, with their reason codes. */
  invalid: { bill: string; billId: number; codes: string[] }[];
  /** Bills held before the bank (approvals not as required; Verification of Payee: a close match, a mismatch), with their reason codes. */
  held: { bill: string; billId: number; codes: string[] }[];
  /** What the run's Verification of Payee did (absent with vop.mode off). */
  payeeChecks: PayeeCheckStats | null;
  notYetPayable: number;
  /** POST /payment-requests the bank sandbox received (embedded bank only). */
  bankPosts: number | null;
  /** XML-RPC calls the Odoo dev server received (embedded Odoo only). */
  odooCalls: number | null;
  durationMs: number;
}

const DAY_MS = 86_400_000;

export async function runDemo(opts: { invoices: number; env: NodeJS.ProcessEnv; say: (m: string) => void }): Promise<DemoSummary> {
  const started = Date.now();
  const say = opts.say;
  const parts = await startDemoParts({ env: opts.env, invoices: opts.invoices, say });
  // Ctrl-C: the parts stop and their temporary folder goes before the process exits.
  const keepOnInterrupt = cleanUpOnInterrupt(() => parts.stop());
  try {
    // The demo reads no stetpay.config.json (its cwd is the parts' folder): only the environment and what it started.
    const config = requireSections(
      loadConfig({ env: opts.env, overrides: parts.overrides, cwd: parts.dir }),
      ['odoo', 'redis', 'bank', 'callback'],
      'stetpay demo',
    );
    const admin = await openOdoo(config.odoo);
    const installed = await installFields(admin, { approversGroup: config.approvals.approversGroup });
    admin.close();
    say(`install: ${installed.created.length} field(s) created, ${installed.existing.length} already there`);

    const runtime = await startWorkerRuntime(config, { logger: createLogger({ level: process.env.STETPAY_LOG_LEVEL ?? 'warn' }) });
    try {
      const { profile } = openBank(config.bank);
      const payeeVerifier = openPayeeVerifier(config.vop);
      let run;
      try {
        run = await runPayments({ odoo: runtime.odoo, config, profile, queues: runtime.queues, payeeVerifier });
      } finally {
        payeeVerifier?.close();
      }
      say(`run: ${run.bills} approved bill(s) read; ${run.byStatus.queued ?? 0} queued, ${run.byStatus.held ?? 0} held, ${run.byStatus.invalid ?? 0} invalid, ${run.notYetPayable} not yet payable`);

      const settled = await waitForSettled(runtime.odoo, run.queuedBillIds, { timeoutMs: 5 * 60_000, pollMs: 500, onProgress: (n, t) => process.env.STETPAY_DEBUG && say(`settled ${n}/${t}`) });
      say(`workers: ${settled.settled}/${run.queuedBillIds.length} payment(s) sent to the bank`);

      if (parts.bank) {
        // The sandbox executes a payment on its requested date: move its clock past the bank's 30-day window.
        parts.bank.advanceClock((profile.maxDaysAhead + 1) * DAY_MS);
        say(`bank sandbox clock moved ${profile.maxDaysAhead + 1} days ahead`);
      }
      for (let i = 0; i < 30; i++) {
        await runtime.syncNow();
        const open = (await readTrackedBills(runtime.odoo, { billIds: run.queuedBillIds })).filter((b) => ['queued', 'submitted', 'accepted'].includes(b.status ?? ''));
        if (open.length === 0 || !parts.bank) break;
        await new Promise((r) => setTimeout(r, 500));
      }

      const tracked = await readTrackedBills(runtime.odoo, {});
      const byStatus: Record<string, number> = {};
      for (const b of tracked) if (b.status) byStatus[b.status] = (byStatus[b.status] ?? 0) + 1;
      return {
        bills: run.bills,
        byStatus,
        invalid: run.invalid.filter((p) => p.status !== 'held').map((p) => ({ bill: p.billName, billId: p.billId, codes: p.reasons.map((r) => r.code) })),
        held: run.invalid.filter((p) => p.status === 'held').map((p) => ({ bill: p.billName, billId: p.billId, codes: p.reasons.map((r) => r.code) })),
        payeeChecks: run.payeeChecks ?? null,
        notYetPayable: run.notYetPayable,
        bankPosts: parts.bank ? parts.bank.requests().filter((r) => r.method === 'POST' && /\/payment-requests$/.test(r.path)).length : null,
        odooCalls: parts.odoo ? parts.odoo.calls().total ?? null : null,
        durationMs: Date.now() - started,
      };
    } finally {
      await runtime.close();
    }
  } finally {
    await parts.stop();
    keepOnInterrupt();
  }
}
