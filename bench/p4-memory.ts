/**
 * P4 memory (issue 7).
 *
 * 1. Peak RSS of the run process for 100,000 bills (quick: 5,000), target
 *    < 200 MB. The Odoo dev server is seeded with the bills in THIS process,
 *    with a real redis-server and the bank sandbox (the run checks the bank
 *    lets it in); then `stetpay run --json` runs as a CHILD process (the CLI's
 *    own `main`, config only through STETPAY_* variables, no config file), and
 *    its peak is the kernel's high-water mark, /proc/<pid>/status VmHWM: read
 *    by the child itself as it exits (exact), and polled by this process as a
 *    cross-check (lib/peak-rss.ts). The child collects, maps, reserves in Odoo
 *    and enqueues every payment; no worker runs.
 * 2. Redis bytes per pending payment, target < 2 KB (2,048 B). A fresh
 *    redis-server, the Odoo dev server seeded with 10,000 bills (quick: 1,000),
 *    one warm-up job (so BullMQ's scripts and queue keys exist before the
 *    baseline), then `runPayments` enqueues the real jobs the pipeline makes
 *    (mapped bodies with their signed consent links); no worker runs, so all
 *    stay pending. Bytes per payment = (INFO used_memory after - before) /
 *    payments enqueued: everything BullMQ keeps per job (job hash, wait list
 *    entry, events stream). The note breaks it down by key (MEMORY USAGE).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisClient } from '../worker/index.js';
import { openBank } from '../plugin/connect/open-bank.js';
import { openOdoo } from '../plugin/connect/open-odoo.js';
import { runPayments } from '../plugin/run/run-payments.js';
import { enqueuePayments } from '../worker/enqueue-payments.js';
import { StetpayQueues } from '../worker/stetpay-queues.js';
import type { BenchContext, BenchResult, BenchRow, Benchmark } from './lib/benchmark.js';
import { notMeasuredRow } from './lib/benchmark.js';
import { mib } from './lib/machine-info.js';
import { peakRssOfPid } from './lib/peak-rss.js';
import { sampleSubmitJob } from './lib/sample-payments.js';
import { startStack } from './lib/stack.js';
import { formatMs, timed } from './lib/timing.js';

export const RSS_TARGET = { op: '<', value: 200, unit: 'MB' } as const;
export const REDIS_TARGET = { op: '<', value: 2048, unit: 'B/payment' } as const;

/** Why the run's peak is what it is (printed with a miss; see docs/bench.md). */
export const RSS_WHY =
  "Why: the run holds one page of bills at a time (a heap snapshot after a full GC, 100k bills: 34 MB live, 16 MB of it strings and 7 MB compiled code), so its peak does not grow with N; what is above that is garbage V8 lets pile up between major collections (each page's parsed XML-RPC answers, mapped requests and job JSON live across the page's Odoo and Redis calls, so they are promoted before they die). `stetpay run` sets --optimize-for-size, which makes V8 collect sooner (measured: 328 MiB -> 160 MiB at 100k bills, for about a fifth more CPU). The XML-RPC parsing was over half of the run's CPU and of its garbage, measured with the xmlrpc package's sax parser (replaced by our codec on fast-xml-parser on 2026-12-03; not measured again).";

/** What the keys of a queue weigh (MEMORY USAGE, SAMPLES 0 = exact), grouped by kind. */
export async function keyBreakdown(redis: RedisClient, pattern: string, isJobKey: (key: string) => boolean): Promise<{ jobs: { count: number; bytes: number }; byKind: Record<string, number> }> {
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

async function usedMemory(redis: RedisClient): Promise<number> {
  const info = await redis.info('memory');
  const m = /^used_memory:(\d+)/m.exec(info);
  if (!m) throw new Error('P4: INFO memory gave no used_memory');
  return Number(m[1]);
}

export async function redisBytesPerPayment(bills: number, ctx: BenchContext): Promise<{ row: BenchRow; notes: string[] }> {
  const stack = await startStack({ bills, log: (m) => ctx.log(`P4: ${m}`) });
  let queues: StetpayQueues | undefined;
  const odoo = await openOdoo(stack.config.odoo);
  try {
    queues = await StetpayQueues.open({ connection: stack.config.redis, prefix: stack.config.redis.prefix });
    const warm = sampleSubmitJob(1_000_000);
    await enqueuePayments(queues.submit, [warm]); // scripts loaded, queue keys created
    const before = await usedMemory(queues.redis);
    ctx.log(`P4: run over ${bills.toLocaleString('en-US')} bills, enqueueing into a fresh Redis`);
    const q = queues;
    const { result: run, ms } = await timed(() => runPayments({ odoo, config: stack.config, profile: openBank(stack.config.bank).profile, queues: q }));
    const after = await usedMemory(queues.redis);
    const n = run.enqueued;
    const waiting = await queues.submit.getWaitingCount();
    if (waiting !== n + 1) throw new Error(`P4: ${n} jobs enqueued but ${waiting} waiting (expected ${n + 1})`);
    const perPayment = Math.round((after - before) / n);
    const [job] = await queues.submit.getJobs(['waiting'], 1, 1);
    if (!job?.id) throw new Error('P4: no waiting job to inspect');
    const jobKey = `${queues.prefix}:${queues.submit.name}:${job.id}`;
    const hash = await queues.redis.hgetall(jobKey);
    const ids = new Set((await queues.submit.getJobs(['waiting'], 0, -1)).map((j) => j.id!));
    const keys = await keyBreakdown(queues.redis, `${queues.prefix}:${queues.submit.name}:*`, (k) => ids.has(k.slice(k.lastIndexOf(':') + 1)));
    const perJob = (bytes: number): number => Math.round(bytes / (n + 1));
    const encoding = await queues.redis.call('OBJECT', 'ENCODING', jobKey);
    const others = Object.entries(keys.byKind)
      .sort((a, b) => b[1] - a[1])
      .map(([kind, b]) => `${kind} ${perJob(b)} B`)
      .join(', ');
    const data = JSON.parse(hash.data ?? '{}') as { request?: { supplementaryData?: { successfulReportUrl?: string } } };
    const linksStored = Boolean(data.request?.supplementaryData?.successfulReportUrl);
    return {
      row: {
        case: `Redis bytes per pending payment (${n.toLocaleString('en-US')} jobs from ${bills.toLocaleString('en-US')} bills)`,
        target: REDIS_TARGET,
        measured: perPayment,
        note: `used_memory +${(after - before).toLocaleString('en-US')} B; run ${formatMs(ms)}`,
      },
      notes: [
        `Redis per pending payment, by key (MEMORY USAGE, per job): job hash ${perJob(keys.jobs.bytes)} B (${keys.jobs.count} hashes, encoding ${String(encoding)}), then ${others}. ` +
          `In one job hash: data ${Buffer.byteLength(hash.data ?? '')} B of JSON (the STET request body, ${linksStored ? 'with' : 'without'} its two consent links, and the bill's id, name, database, attempt and execution date), opts ${Buffer.byteLength(hash.opts ?? '')} B (${hash.opts}), then BullMQ's name, timestamp, delay, priority. ` +
          `The hash is a Redis hashtable (its values exceed hash-max-listpack-value, 64 B): each field and value is its own allocation, rounded up by jemalloc to its size class (data of 1,025-1,280 B takes 1,280 B, 1,281-1,536 B takes 1,536 B).`,
      ],
    };
  } finally {
    odoo.close();
    await queues?.close();
    await stack.stop();
  }
}

/** The child's code: the CLI's main with `run --json`, then its own VmHWM on stderr as it exits. */
const CHILD = `
import { readFileSync } from 'node:fs';
const { main } = await import(process.env.STETPAY_BENCH_CLI);
const code = await main(['run', '--json']);
const m = /^VmHWM:\\s+(\\d+)\\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
await new Promise((r) => process.stdout.write('', r)); // a pipe is written asynchronously: flush the summary first
process.stderr.write('\\nSTETPAY_BENCH_VMHWM_KB=' + (m ? m[1] : '') + '\\n', () => process.exit(code));
`;

export interface ChildRun {
  peakBytes: number;
  polledPeakBytes: number;
  exitCode: number | null;
  summary: { bills?: number; enqueued?: number; durationMs?: number; odooCalls?: number } | undefined;
  ms: number;
}

export function runChild(env: Record<string, string>, cli: URL): Promise<ChildRun> {
  const started = Date.now();
  const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...env, STETPAY_BENCH_CLI: cli.href, STETPAY_LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], { env: childEnv, cwd: mkdtempSync(join(tmpdir(), 'stetpay-bench-run-')), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  let polled = 0;
  const timer = setInterval(() => {
    if (child.pid) polled = Math.max(polled, peakRssOfPid(child.pid) ?? 0);
  }, 100);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      const kb = /STETPAY_BENCH_VMHWM_KB=(\d+)/.exec(stderr)?.[1];
      const last = stdout.trim().split('\n').pop() ?? '';
      let summary: ChildRun['summary'];
      try {
        summary = JSON.parse(last) as ChildRun['summary'];
      } catch {
        summary = undefined;
      }
      if (!kb) return reject(new Error(`P4: the run child exited ${code} without its peak RSS; stderr: ${stderr.slice(-800)}`));
      resolve({ peakBytes: Math.max(Number(kb) * 1024, polled), polledPeakBytes: polled, exitCode: code, summary, ms: Date.now() - started });
    });
  });
}

export async function runProcessPeakRss(bills: number, ctx: BenchContext): Promise<{ row: BenchRow; notes: string[] }> {
  const stack = await startStack({ bills, log: (m) => ctx.log(`P4: ${m}`) });
  try {
    ctx.log(`P4: \`stetpay run --json\` as a child over ${bills.toLocaleString('en-US')} bills`);
    const r = await runChild(stack.env, new URL('../plugin/cli.js', import.meta.url));
    if (r.exitCode !== 0) throw new Error(`P4: \`stetpay run\` exited ${r.exitCode}`);
    const mb = r.peakBytes / 1e6;
    const s = r.summary ?? {};
    return {
      row: {
        case: `peak RSS of the run process, ${bills.toLocaleString('en-US')} bills`,
        target: RSS_TARGET,
        measured: Math.round(mb * 10) / 10,
        note: `VmHWM ${mib(r.peakBytes)}; run ${formatMs(s.durationMs ?? r.ms)}`,
      },
      notes: [
        `P4 RSS: \`stetpay run --json\` in a child process (config from STETPAY_* only) read ${(s.bills ?? 0).toLocaleString('en-US')} approved bills and enqueued ${(s.enqueued ?? 0).toLocaleString('en-US')} payments in ${formatMs(s.durationMs ?? r.ms)} with ${(s.odooCalls ?? 0).toLocaleString('en-US')} Odoo calls; peak RSS ${mib(r.peakBytes)} = ${(r.peakBytes / 1e6).toFixed(1)} MB (the child's VmHWM read as it exits; polled every 100 ms: ${mib(r.polledPeakBytes)}). ${mb >= RSS_TARGET.value ? RSS_WHY : ''}`,
      ],
    };
  } finally {
    await stack.stop();
  }
}

export const p4Memory: Benchmark = {
  id: 'P4',
  title: 'memory',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    const rssBills = ctx.quick ? 5_000 : 100_000;
    try {
      const r = await runProcessPeakRss(rssBills, ctx);
      rows.push(r.row);
      notes.push(...r.notes);
    } catch (e) {
      ctx.log(`P4: RSS failed: ${e instanceof Error ? e.message : String(e)}`);
      rows.push(notMeasuredRow(`peak RSS of the run process, ${rssBills.toLocaleString('en-US')} bills`, RSS_TARGET, e instanceof Error ? e.message : String(e)));
    }
    const bills = ctx.quick ? 1_000 : 10_000;
    try {
      const r = await redisBytesPerPayment(bills, ctx);
      rows.push(r.row);
      notes.push(...r.notes);
    } catch (e) {
      ctx.log(`P4: Redis failed: ${e instanceof Error ? e.message : String(e)}`);
      rows.push(notMeasuredRow(`Redis bytes per pending payment (${bills.toLocaleString('en-US')} bills)`, REDIS_TARGET, e instanceof Error ? e.message : String(e)));
    }
    return { rows, notes };
  },
};
