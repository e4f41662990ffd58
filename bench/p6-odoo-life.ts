/**
 * P6 Odoo calls over a bill's whole life (issue 15).
 *
 * About N = 1,000 payments (quick: 100) through everything stetpay does with
 * Odoo, as `stetpay worker` runs it with its consent callback server: the run
 * (read, map, reserve, enqueue), the submit worker (the gate's check, the
 * write-back of each answer), the bank's consent redirect for every payment
 * (the sandbox approves each at once and follows its redirect to the callback
 * server, as the signatory's browser would), the status check that follows
 * it, the bank's execution (ACSC) and the payment registered in Odoo. Then one
 * scheduled sync (what the sync worker runs), which must find nothing left.
 *
 * Measured: the XML-RPC calls the Odoo dev server received (its counter,
 * execute_kw only; the logins are before the count) from the start of the run
 * until every payment is registered and the sync has run, per bill paid
 * (target <= 1.5), with the breakdown by `model.method`. No call's work grows
 * with N: every call carries a bounded batch (a wizard 50 bills, a `load` 500
 * rows, a read 500 or 1,000 ids), listed in the notes.
 */
import type { BenchContext, BenchResult, Benchmark } from './lib/benchmark.js';
import { createLogger } from '../plugin/runtime/logger.js';
import { openBank } from '../plugin/connect/open-bank.js';
import { startWorkerRuntime } from '../plugin/runtime/worker-runtime.js';
import { runPayments } from '../plugin/run/run-payments.js';
import { billsForPayments, startStack } from './lib/stack.js';
import { formatMs } from './lib/timing.js';
import { odooCallsText } from './lib/odoo-calls.js';
import { LOAD_BATCH, NOTE_BATCH } from '../connector/odoo/write-bill-updates.js';
import { REGISTER_BATCH } from '../connector/odoo/register-payment.js';

export const P6_PAYMENTS = 1_000;
const PER_BILL_TARGET = { op: '<=', value: 1.5, unit: 'calls/bill' } as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const p6OdooLife: Benchmark = {
  id: 'P6',
  title: "Odoo calls over a bill's life",
  async run(ctx: BenchContext): Promise<BenchResult> {
    const wanted = ctx.quick ? 100 : P6_PAYMENTS;
    const stack = await startStack({ bills: billsForPayments(wanted), consentAll: true, bankRequestsPerSecond: 200, workerRequestsPerSecond: 200, concurrency: 16, log: (m) => ctx.log(`P6: ${m}`) });
    try {
      const { odoo } = stack;
      const runtime = await startWorkerRuntime(stack.config, { logger: createLogger({ level: 'error' }), callbackServer: true, concurrency: 16 });
      let run: Awaited<ReturnType<typeof runPayments>> | undefined;
      const start = Date.now();
      let settledMs = 0;
      let consentedMs = 0;
      try {
        odoo.resetCalls();
        const { profile } = openBank(stack.config.bank);
        run = await runPayments({ odoo: runtime.odoo, config: stack.config, profile, queues: runtime.queues });
        const ids = run.queuedBillIds;
        ctx.log(`P6: run: ${run.bills} bills read, ${run.enqueued} enqueued; waiting for every consent, execution and registration`);
        const deadline = Date.now() + (ctx.quick ? 60_000 : 600_000);
        // Every consent given and checked: the bank has accepted each payment for its execution date.
        // The scheduled sync runs meanwhile (every 30 s here): it records what a consent check could not (a 429, a lost answer).
        await until(() => ids.filter((id) => odoo.store.value('account.move', id, 'x_stet_status') !== 'accepted'), deadline, 'accepted at the bank', odoo, () => runtime.syncNow());
        consentedMs = Date.now() - start;
        // The execution dates come: the bank executes; the next scheduled sync registers every payment in Odoo.
        await stack.bank.advanceDays(7);
        await runtime.syncNow();
        await until(() => ids.filter((id) => !isSettled(odoo.store.value('account.move', id, 'x_stet_status'), odoo.store.value('account.move', id, 'payment_state'))), deadline, 'executed and registered', odoo);
        settledMs = Date.now() - start;
        // The next scheduled sync: nothing left to do but look.
        await runtime.syncNow();
      } finally {
        await runtime.close();
      }
      const totalMs = Date.now() - start;
      const { total: calls, byMethod: breakdown } = odooCallsText(odoo.calls());
      const paid = run.queuedBillIds.filter((id) => odoo.store.value('account.move', id, 'payment_state') === 'paid' || odoo.store.value('account.move', id, 'payment_state') === 'in_payment').length;
      const statuses: Record<string, number> = {};
      for (const id of run.queuedBillIds) {
        const s = String(odoo.store.value('account.move', id, 'x_stet_status') || 'none');
        statuses[s] = (statuses[s] ?? 0) + 1;
      }
      const perBill = paid ? calls / paid : null;
      return {
        rows: [
          {
            case: `Odoo calls per bill, ${paid.toLocaleString('en-US')} bills consented, executed and registered`,
            target: PER_BILL_TARGET,
            measured: perBill === null ? null : Math.round(perBill * 1000) / 1000,
            notMeasured: perBill === null ? 'no bill was paid' : undefined,
            note: `${calls.toLocaleString('en-US')} calls in ${formatMs(totalMs)}`,
          },
        ],
        notes: [
          `P6: ${run.bills.toLocaleString('en-US')} approved bills read, ${run.enqueued.toLocaleString('en-US')} payments enqueued (the others refused before the bank and written back as such); every payment consented at once by the bank sandbox, which follows its redirect to the worker's callback server (all accepted after ${formatMs(consentedMs)}); then the bank's clock moved 7 days on (execution), one scheduled sync registered the payments (all settled after ${formatMs(settledMs)}), and one more sync found nothing to do. Odoo at the end: ${Object.entries(statuses).map(([k, v]) => `${k} ${v}`).join(', ')}; ${paid} bills paid in Odoo.`,
          `Calls by method (the dev server's counter, execute_kw only): ${breakdown}.`,
          `Batches: a register wizard takes at most ${REGISTER_BATCH} bills of one date and journal (connector/odoo/register-payment.ts), a write-back load at most ${LOAD_BATCH} rows and a note call ${NOTE_BATCH}, a read at most 1,000 ids: no call grows with N. The consent callback reads no bill in Odoo: the ledger gives the payment's resource id, the bank its status, the job the bill's number; the acceptance goes through the batched write-back.`,
        ],
      };
    } finally {
      await stack.stop();
    }
  },
};

async function until(open: () => number[], deadline: number, what: string, odoo: { store: { value(m: string, id: number, f: string): unknown } }, scheduledSync?: () => Promise<unknown>): Promise<void> {
  let nextSync = Date.now() + 30_000;
  for (;;) {
    const left = open();
    if (left.length === 0) return;
    if (scheduledSync && Date.now() >= nextSync) {
      await scheduledSync();
      nextSync = Date.now() + 30_000;
    }
    if (Date.now() > deadline) {
      const seen = left.slice(0, 5).map((id) => `${id}: ${String(odoo.store.value('account.move', id, 'x_stet_status'))}/${String(odoo.store.value('account.move', id, 'payment_state'))}`);
      throw new Error(`${left.length} bills not ${what} in time (${seen.join(', ')})`);
    }
    await sleep(100);
  }
}

/** Executed at the bank and paid in Odoo (17: `in_payment` until reconciled, 18: `paid`). */
function isSettled(status: unknown, paymentState: unknown): boolean {
  return status === 'executed' && (paymentState === 'paid' || paymentState === 'in_payment');
}
