/**
 * P4 memory (issue 7).
 *
 * 1. Peak RSS of the run process for 100,000 bills, target < 200 MB.
 *    Plan: start `stetpay run` as a child process against the Odoo dev server
 *    seeded with 100,000 bills and a fresh Redis, and read the child's own
 *    high-water mark (/proc/<pid>/status VmHWM, lib/peak-rss.ts) just before it
 *    exits. Not measured yet: the run is not wired end to end.
 * 2. Redis bytes per pending payment, target < 2 KB (2,048 B). Measured now:
 *    a fresh redis-server (test/support/redis-server.ts), the producer queues
 *    (worker StetpayQueues), one warm-up job (so BullMQ's scripts are loaded
 *    before the baseline), then `enqueuePayments` of N = 10,000 realistic
 *    submit jobs (quick: 1,000), each carrying its STET request body; no worker
 *    runs, so all N stay pending. Bytes per payment = (INFO memory used_memory
 *    after - before) / N. That includes everything BullMQ keeps per job: the job
 *    hash, the wait list entry and the events stream (capped by BullMQ).
 */
import type { Redis } from 'ioredis';
import { startRedis } from '../test/support/redis-server.js';
import { enqueuePayments } from '../worker/enqueue-payments.js';
import { StetpayQueues } from '../worker/stetpay-queues.js';
import type { BenchContext, BenchResult, BenchRow, Benchmark } from './lib/benchmark.js';
import { notMeasuredRow } from './lib/benchmark.js';
import { sampleSubmitJob } from './lib/sample-payments.js';
import { formatMs, timed } from './lib/timing.js';

export const RSS_TARGET = { op: '<', value: 200, unit: 'MB' } as const;
export const REDIS_TARGET = { op: '<', value: 2048, unit: 'B/payment' } as const;

/** What the keys of a queue weigh (MEMORY USAGE, SAMPLES 0 = exact), grouped by kind. */
export async function keyBreakdown(redis: Redis, pattern: string, isJobKey: (key: string) => boolean): Promise<{ jobs: { count: number; bytes: number }; byKind: Record<string, number> }> {
  const jobs = { count: 0, bytes: 0 };
  const byKind: Record<string, number> = {};
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const bytes = Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
      if (isJobKey(key)) {
        jobs.count++;
        jobs.bytes += bytes;
      } else {
        const kind = key.slice(key.lastIndexOf(':') + 1);
        byKind[kind] = (byKind[kind] ?? 0) + bytes;
      }
    }
  } while (cursor !== '0');
  return { jobs, byKind };
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const m = /^used_memory:(\d+)/m.exec(info);
  if (!m) throw new Error('P4: INFO memory gave no used_memory');
  return Number(m[1]);
}

export async function redisBytesPerPayment(n: number, ctx: BenchContext): Promise<{ row: BenchRow; notes: string[] }> {
  const redis = await startRedis();
  let queues: StetpayQueues | undefined;
  try {
    queues = await StetpayQueues.open({ connection: redis.url });
    await enqueuePayments(queues.submit, [sampleSubmitJob(1_000_000)]); // warm-up: scripts loaded, keys created
    const before = await usedMemory(queues.redis);
    const jobs = Array.from({ length: n }, (_, i) => sampleSubmitJob(i + 1));
    ctx.log(`P4: enqueueing ${n.toLocaleString('en-US')} payments into a fresh Redis`);
    const q = queues;
    const { result: added, ms } = await timed(() => enqueuePayments(q.submit, jobs));
    const after = await usedMemory(queues.redis);
    const waiting = await queues.submit.getWaitingCount();
    if (added !== n || waiting !== n + 1) throw new Error(`P4: ${added} jobs added, ${waiting} waiting; expected ${n} and ${n + 1}`);
    const perPayment = Math.round((after - before) / n);
    const body = Buffer.byteLength(JSON.stringify(jobs[0]));
    const jobIds = new Set([...jobs.map((j) => j.ids.paymentInformationId), sampleSubmitJob(1_000_000).ids.paymentInformationId]);
    const keys = await keyBreakdown(queues.redis, `${queues.prefix}:${queues.submit.name}:*`, (k) => jobIds.has(k.slice(k.lastIndexOf(':') + 1)));
    const perJob = (bytes: number): number => Math.round(bytes / (n + 1));
    const hashEncoding = await queues.redis.call('OBJECT', 'ENCODING', `${queues.prefix}:${queues.submit.name}:${jobs[0]!.ids.paymentInformationId}`);
    const others = Object.entries(keys.byKind)
      .sort((a, b) => b[1] - a[1])
      .map(([kind, bytes]) => `${kind} ${perJob(bytes)} B`)
      .join(', ');
    return {
      row: { case: `Redis bytes per pending payment (${n.toLocaleString('en-US')} jobs)`, target: REDIS_TARGET, measured: perPayment, note: `used_memory +${(after - before).toLocaleString('en-US')} B; enqueue ${formatMs(ms)}` },
      notes: [
        `Redis per pending payment, by key (MEMORY USAGE, per job): job hash ${perJob(keys.jobs.bytes)} B (${keys.jobs.count} hashes, encoding ${String(hashEncoding)}), then ${others}. One job's data is ${body} B of JSON (the STET request body and its ids), stored as text in the hash next to BullMQ's opts, name, timestamps; the events stream holds 2 entries per job until BullMQ trims it (about 10,000 events by default).`,
      ],
    };
  } finally {
    await queues?.close();
    await redis.stop();
  }
}

export const p4Memory: Benchmark = {
  id: 'P4',
  title: 'memory',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const rows: BenchRow[] = [
      notMeasuredRow('peak RSS of the run process, 100,000 bills', RSS_TARGET, '`stetpay run` is not wired end to end yet (plan: run it as a child, read its VmHWM)'),
    ];
    const notes: string[] = [];
    const n = ctx.quick ? 1_000 : 10_000;
    try {
      const r = await redisBytesPerPayment(n, ctx);
      rows.push(r.row);
      notes.push(...r.notes);
    } catch (e) {
      rows.push(notMeasuredRow(`Redis bytes per pending payment (${n.toLocaleString('en-US')} jobs)`, REDIS_TARGET, e instanceof Error ? e.message : String(e)));
    }
    return { rows, notes };
  },
};
