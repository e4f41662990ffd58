/**
 * P5 a night (issue 7).
 *
 * About 10,000 payments (quick: 1,000) from the Odoo dev server, the bank
 * sandbox answering each call after 50 ms and limiting the API to 200
 * requests/s, the workers configured with bank.requestsPerSecond = 200 and 16
 * jobs in flight (50 ms x 200/s needs at least 10; 16 leaves room for the
 * time each call spends outside the bank). The whole night through the
 * pipeline: `runPayments` (collect, map, reserve in Odoo, enqueue), submit
 * worker, write-back, until no bill is `queued` in Odoo. Measured: that total
 * time against what the limit allows, payments / 200 s (50 s for 10,000),
 * target <= 1.10x (issue 15; 1.15x in issue 7). The note splits the time: run, first POST, last POST, tail.
 */
import type { BenchContext, BenchResult, Benchmark } from './lib/benchmark.js';
import { byStatusText, runNight } from './lib/night.js';
import { billsForPayments, paymentPosts, startStack } from './lib/stack.js';
import { formatMs } from './lib/timing.js';

export const P5_PAYMENTS = 10_000;
export const P5_LIMIT = 200;
export const P5_LATENCY_MS = 50;
export const P5_CONCURRENCY = 16;
const P5_TARGET = 1.1;

/** Why the night takes more than 1.10 x N / 200 s (printed with a miss; see docs/bench.md). */
export const P5_WHY =
  "Why: the shared limiter (BANK-RATE) lets request n leave a second after request n - 200's answer was observed, so with 50 ms of latency at most 200 x 1000 / 1050 = 95% of 200 requests a second go through (1.05x), less when the answers come back late through a busy event loop (see P3); the first POST waits for the run's first page (its ids searched, its partners and accounts read, 500 bills read, mapped and reserved in Odoo); and on 2 shared cores the worker, the run, the Odoo dev server, Redis and the bank sandbox compete for the CPU. 16 in flight cover the 50 ms latency (200/s x 50 ms = 10).";

export const p5Night: Benchmark = {
  id: 'P5',
  title: 'a night',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const wanted = ctx.quick ? 1_000 : P5_PAYMENTS;
    const stack = await startStack({
      bills: billsForPayments(wanted),
      bankRequestsPerSecond: P5_LIMIT,
      bankLatencyMs: P5_LATENCY_MS,
      workerRequestsPerSecond: P5_LIMIT,
      concurrency: P5_CONCURRENCY,
      log: (m) => ctx.log(`P5: ${m}`),
    });
    try {
      const night = await runNight(stack, { concurrency: P5_CONCURRENCY, timeoutMs: 30 * 60_000, log: (m) => ctx.log(`P5: ${m}`) });
      const n = night.enqueued;
      const allowedMs = (n / P5_LIMIT) * 1000;
      const ratio = night.totalMs / allowedMs;
      const tooMany = (await stack.bank.requests()).filter((e) => e.status === 429).length;
      const posts = (await paymentPosts(stack.bank)).length;
      return {
        rows: [
          {
            case: `${n.toLocaleString('en-US')} payments, 50 ms bank latency, 200 req/s: total time / (N / 200 s)`,
            target: { op: '<=', value: P5_TARGET, unit: 'x' },
            measured: Math.round(ratio * 1000) / 1000,
            note: `${formatMs(night.totalMs)} against ${formatMs(allowedMs)}`,
          },
        ],
        notes: [
          ...(ratio > P5_TARGET ? [P5_WHY] : []),
          `P5: ${night.bills.toLocaleString('en-US')} approved bills read, ${n.toLocaleString('en-US')} payments enqueued (the others refused before the bank); ${P5_CONCURRENCY} jobs in flight in one worker process, shared limiter (BANK-RATE) at 200 requests per second. runPayments (collect, map, reserve in Odoo, enqueue) took ${formatMs(night.runMs)}; first POST accepted at ${formatMs(night.firstPostMs)}, last at ${formatMs(night.lastPostMs)} (${((n - 1) / ((night.lastPostMs - night.firstPostMs) / 1000)).toFixed(1)} POSTs/s in between); every bill written back at ${formatMs(night.totalMs)}. ${posts.toLocaleString('en-US')} POSTs (${byStatusText(night.postsByStatus)}), ${tooMany} answered 429 in all. Odoo at the end: ${byStatusText(night.odooByStatus)}.`,
        ],
      };
    } finally {
      await stack.stop();
    }
  },
};
