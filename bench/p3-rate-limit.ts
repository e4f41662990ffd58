/**
 * P3 rate limit (issues 7 and 15).
 *
 * The bank sandbox enforces R requests per second over its API and token paths
 * (a sliding one-second window; above it 429 TMRQ with Retry-After: 1); R = 50
 * and 200. Three real `stetpay worker` processes (16 jobs in flight each) share
 * the limit through BANK-RATE (worker/bank-rate: request n of any process
 * leaves a second after request n - R's answer was observed), configured with
 * bank.requestsPerSecond = R. Enough payments for about 15 s at each R (quick:
 * 3 s) go through the whole pipeline (run in this process, the workers' submit
 * and write-back). Measured from the sandbox's own request log:
 *  - achieved rate: POSTs answered 201, (count - 1) / (time of the last -
 *    time of the first), against R, target >= 0.97;
 *  - 429s the sandbox answered (any path), also as a share of all requests.
 *    Each one costs a retry and pauses the queue for the Retry-After.
 */
import type { BenchContext, BenchResult, BenchRow, Benchmark } from './lib/benchmark.js';
import { measureCase, notMeasuredRow } from './lib/benchmark.js';
import { byStatusText, runNight } from './lib/night.js';
import { billsForPayments, paymentPosts, startStack } from './lib/stack.js';
import { formatMs } from './lib/timing.js';

export const P3_RATES = [50, 200];
export const P3_CONCURRENCY = 16;
/** `stetpay worker` processes sharing the bank's limit (issue 15). */
export const P3_WORKER_PROCESSES = 3;
const RATE_TARGET = { op: '>=', value: 0.97, unit: '' } as const;
const TMRQ_TARGET = { op: '<=', value: 0, unit: '429s' } as const;

/** Why the achieved rate stays under 0.97 R, or a 429 came through (printed with a miss; see docs/bench.md). */
export const P3_WHY =
  "Why: BANK-RATE lets request n leave a second (+ 2 ms) after request n - R's answer was observed, so each of the R chains turns once per second plus the bank's latency (the sandbox's TLS, signature and schema checks, and the answer's way back through a busy event loop): R x 1000 / (1000 + latency) at best; a machine that cannot sign, send and record R payments a second keeps the rate lower still.";

async function measureRate(r: number, seconds: number, ctx: BenchContext): Promise<{ rows: BenchRow[]; note: string }> {
  const stack = await startStack({
    bills: billsForPayments(r * seconds),
    bankRequestsPerSecond: r,
    workerRequestsPerSecond: r,
    concurrency: P3_CONCURRENCY,
    log: (m) => ctx.log(`P3 R=${r}: ${m}`),
  });
  try {
    const night = await runNight(stack, { concurrency: P3_CONCURRENCY, workerProcesses: P3_WORKER_PROCESSES, log: (m) => ctx.log(`P3 R=${r}: ${m}`) });
    const log = await stack.bank.requests();
    const refused = log.filter((e) => e.status === 429);
    const busiest = busiestSecond(log.filter((e) => e.status !== 429 && e.path.startsWith('/stet/psd2/')).map((e) => Date.parse(e.at)));
    const tooMany = refused.length;
    const t0 = log.length ? Date.parse(log[0]!.at) : 0;
    const refusedText = refused.map((e) => `${e.method} ${e.path.replace(/^.*\/(oauth|payment-requests)/, '/$1')} at +${Date.parse(e.at) - t0} ms`).join('; ');
    const accepted = (await paymentPosts(stack.bank))
      .filter((p) => p.status === 201)
      .map((p) => p.at)
      .sort((a, b) => a - b);
    const span = (accepted[accepted.length - 1]! - accepted[0]!) / 1000;
    const achieved = (accepted.length - 1) / span;
    const ratio = achieved / r;
    return {
      rows: [
        { case: `achieved POST rate / R, R = ${r} req/s`, target: RATE_TARGET, measured: Math.round(ratio * 1000) / 1000, note: `${achieved.toFixed(1)}/s: ${accepted.length.toLocaleString('en-US')} POSTs 201 in ${span.toFixed(2)} s` },
        { case: `429s the sandbox answered, R = ${r} req/s`, target: TMRQ_TARGET, measured: tooMany, note: `${((tooMany / log.length) * 100).toFixed(1)}% of ${log.length.toLocaleString('en-US')} requests` },
      ],
      note: `R = ${r}: ${night.enqueued.toLocaleString('en-US')} payments (from ${night.bills.toLocaleString('en-US')} approved bills); run ${formatMs(night.runMs)}, all written back after ${formatMs(night.totalMs)}; POSTs by status: ${byStatusText(night.postsByStatus)}${tooMany ? ` (429s: ${refusedText}, after the bank's first request)` : ''}; most requests the bank let through in one sliding second: ${busiest}; Odoo at the end: ${byStatusText(night.odooByStatus)}.`,
    };
  } finally {
    await stack.stop();
  }
}

/** Most of `times` (ms, in log order) inside any sliding second [t, t + 1000), as the sandbox counts. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

export const p3RateLimit: Benchmark = {
  id: 'P3',
  title: 'rate limit',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const result: BenchResult = { rows: [], notes: [] };
    const { rows, notes } = result;
    for (const r of P3_RATES) {
      const measure = async () => {
        const m = await measureRate(r, ctx.quick ? 3 : 15, ctx);
        return { rows: m.rows, notes: [m.note] };
      };
      await measureCase(result, ctx, `P3 R=${r}`, measure, (why) => [notMeasuredRow(`achieved POST rate / R, R = ${r} req/s`, RATE_TARGET, why)]);
    }
    if (rows.some((r) => r.target === RATE_TARGET && r.measured !== null && r.measured < RATE_TARGET.value)) notes.push(P3_WHY);
    notes.push(
      `P3: ${P3_WORKER_PROCESSES} \`stetpay worker\` processes with ${P3_CONCURRENCY} submit jobs in flight each; the sandbox's limit also counts their token requests. The achieved rate is taken between the first and the last POST the bank accepted (the run's collect before the first POST and the write-back tail after the last are not counted). The target for 429s is none: the shared limiter should wait before the bank refuses; each 429 is retried (same ids) after the queue waited Retry-After. The busiest second is read in the sandbox's log (requests it did not refuse, by its own stamps).`,
    );
    return { rows, notes };
  },
};
