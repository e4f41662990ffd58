/**
 * P2 pipeline overhead (issue 7).
 *
 * Against the bank sandbox with zero latency and no rate limit, side by side
 * in the same run, with the same N requests and the same concurrency C:
 *  - pipeline rate: N / the time from the start of `runPayments` (collect,
 *    map, reserve in Odoo, enqueue) until every bill is written back in the
 *    Odoo dev server, through the submit worker (ledger claim, token, signed
 *    POST, ledger, write-back list) and the write-back drainer; C jobs in
 *    flight, the shared limiter set far above what the machine reaches;
 *  - bare rate: N / the time of a loop that only signs (HTTP signature +
 *    Digest, the same StetClient) and POSTs the same bodies the workers sent,
 *    C in flight, to the same sandbox (reset in between, so no duplicate).
 * Reported: pipeline / bare, target >= 0.6. N = 2,000 payments (quick: 200).
 */
import { openBank } from '../plugin/connect/open-bank.js';
import type { BenchContext, BenchResult, Benchmark } from './lib/benchmark.js';
import { byStatusText, runNight } from './lib/night.js';
import { odooCallsText } from './lib/odoo-calls.js';
import { billsForPayments, paymentPosts, startStack } from './lib/stack.js';
import { formatMs, timed } from './lib/timing.js';
import type { PaymentRequestResource } from '../connector/model/index.js';
import type { StetClient } from '../connector/stet/index.js';

export const P2_TARGET = { op: '>=', value: 0.6, unit: '' } as const;
export const P2_CONCURRENCY = 16;

/** Why the pipeline keeps less than 60% of the bare rate here (printed with a miss; see docs/bench.md). */
export const P2_WHY =
  'Why: with no bank latency and no limit, the bank sandbox (TLS, signature and schema check per POST), Redis and this process share 2 cores, so the bench measures CPU per payment. The bare loop spends it only on signing, TLS and the sandbox; the pipeline adds per payment BullMQ\'s moveToActive and moveToFinished scripts with the limiter, the ledger claim and markSent scripts, the write-back push, the job\'s JSON parse, the lock renewals, and the Odoo reads and writes (XML-RPC encoding on both sides, the dev server in this process), which roughly halve what is left for the POSTs (see the submissions-only rate above). The first POST waits for the run\'s first page (read, mapped and reserved in Odoo), and the last write-back for the drainer\'s batch delay. Against a real bank the latency, not CPU, bounds the rate (P5).';

const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

/** The bare loop: sign and POST each body, `concurrency` in flight; returns the 201s. */
export async function bareLoop(client: StetClient, bodies: PaymentRequestResource[], concurrency: number): Promise<number> {
  let next = 0;
  let created = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const r = await client.paymentRequests.create(body);
        if (r.meta.status === 201) created++;
      }
    }),
  );
  return created;
}

export const p2PipelineOverhead: Benchmark = {
  id: 'P2',
  title: 'pipeline overhead',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const wanted = ctx.quick ? 200 : 2_000;
    const c = P2_CONCURRENCY;
    const stack = await startStack({ bills: billsForPayments(wanted), concurrency: c, log: (m) => ctx.log(`P2: ${m}`) });
    try {
      // No limit at the bank; the shared limiter far above what the machine reaches (the schema caps the setting at 1,000/s).
      const config = { ...stack.config, bank: { ...stack.config.bank, requestsPerSecond: 100_000 } };
      ctx.log(`P2: pipeline, ${c} in flight`);
      const pipelineCpu = process.cpuUsage();
      stack.odoo.resetCalls();
      const night = await runNight(stack, { concurrency: c, config, keepRequests: true, log: (m) => ctx.log(`P2: ${m}`) });
      const odooCalls = odooCallsText(stack.odoo.calls());
      const n = night.enqueued;
      if (night.requests.length !== n || (night.postsByStatus['201'] ?? 0) !== n) {
        throw new Error(`P2: ${n} payments enqueued, ${night.requests.length} jobs completed, bank answered ${byStatusText(night.postsByStatus)}`);
      }
      const pipelineCpuMs = cpuMs(process.cpuUsage(pipelineCpu));
      const pipelineRate = n / (night.totalMs / 1000);
      const submitSpan = night.lastPostMs - night.firstPostMs;

      await stack.bank.reset(); // forget the payments: the same bodies again are not duplicates
      const { client } = openBank(config.bank);
      let bare;
      let bareCpuMs = 0;
      try {
        ctx.log(`P2: bare sign+POST loop, ${n} bodies, ${c} in flight`);
        const bareCpu = process.cpuUsage();
        bare = await timed(() => bareLoop(client, night.requests, c));
        bareCpuMs = cpuMs(process.cpuUsage(bareCpu));
      } finally {
        client.close();
      }
      if (bare.result !== n) throw new Error(`P2: the bare loop got ${bare.result} 201s for ${n} bodies`);
      const bareRate = n / (bare.ms / 1000);
      const bankPosts = (await paymentPosts(stack.bank)).length;
      const ratio = pipelineRate / bareRate;
      return {
        rows: [
          {
            case: `pipeline rate / bare sign+POST rate, N = ${n.toLocaleString('en-US')}, ${c} in flight, zero-latency bank`,
            target: P2_TARGET,
            measured: Math.round(ratio * 1000) / 1000,
            note: `pipeline ${pipelineRate.toFixed(0)}/s (${formatMs(night.totalMs)}), bare ${bareRate.toFixed(0)}/s (${formatMs(bare.ms)})`,
          },
        ],
        notes: [
          `P2: the pipeline read ${night.bills.toLocaleString('en-US')} approved bills and enqueued ${n.toLocaleString('en-US')} payments; runPayments took ${formatMs(night.runMs)} (collect, map, reserve in Odoo, enqueue), the first POST came ${formatMs(night.firstPostMs)} after the start and the last ${formatMs(night.lastPostMs)}, the last write-back ${formatMs(night.totalMs)}: submissions alone ran at ${(n / (submitSpan / 1000)).toFixed(0)}/s between the first and the last POST. Odoo at the end: ${byStatusText(night.odooByStatus)}. The bare loop's ${bankPosts.toLocaleString('en-US')} POSTs were all answered 201.`,
          `P2: the Odoo dev server received ${odooCalls.total.toLocaleString('en-US')} calls during the pipeline (${(odooCalls.total / n).toFixed(2)} per payment); by method: ${odooCalls.byMethod}. The reservation gate's reads are the account.move search_read, each with a res.partner.bank read: one per 200 bills when they batch, near one per payment when each job misses alone.`,
          `P2: this process' CPU per payment (user + system; the Odoo dev server included, the bank sandbox's process and Redis not), less sensitive to the machine's load than the rates: pipeline ${(pipelineCpuMs / n).toFixed(2)} ms, bare loop ${(bareCpuMs / n).toFixed(2)} ms.`,
          ...(ratio < P2_TARGET.value ? [P2_WHY] : []),
          `P2: everything runs on this machine's 2 cores at once: the bank sandbox (TLS, signature and schema checks on every POST) in a child process, the Odoo dev server and the workers in this process, Redis beside them; the pipeline's own costs are the Odoo reads and writes of the run, the ledger and queue operations in Redis (Lua), the job's JSON, the write-back. The bare loop ran after the pipeline (JIT and TLS session warm).`,
        ],
      };
    } finally {
      await stack.stop();
    }
  },
};
