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
 * 3. and 4. Peak RSS of a `stetpay worker` child whose nightly run goes
 *    through 100,000 bills (quick: 2,000) while it sends, and of a
 *    `stetpay sync --wait` child on what it left (workerAndSyncPeakRss).
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
import { RUN_JOB_NAME } from '../worker/sync/schedules.js';
import type { RunningOdooDevServer } from '../sandbox/odoo/index.js';
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

/** The child's code: the CLI's main with the bench's arguments (`run --json`, `worker`, `sync --wait --json`), then its own VmHWM on stderr as it exits. */
const CHILD = `
import { readFileSync } from 'node:fs';
const { main } = await import(process.env.STETPAY_BENCH_CLI);
const code = await main(JSON.parse(process.env.STETPAY_BENCH_ARGS));
const m = /^VmHWM:\\s+(\\d+)\\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
await new Promise((r) => process.stdout.write('', r)); // a pipe is written asynchronously: flush the summary first
process.stderr.write('\\nSTETPAY_BENCH_VMHWM_KB=' + (m ? m[1] : '') + '\\n', () => process.exit(code));
`;

export interface ChildRun {
  peakBytes: number;
  polledPeakBytes: number;
  exitCode: number | null;
  /** The last line of stdout as JSON (`run --json`'s or `sync --wait --json`'s summary). */
  summary: Record<string, unknown> | undefined;
  ms: number;
}

/**
 * A stetpay command (`args`) as a child process configured by `env` only, and its peak RSS. With
 * `stopWhen` (a long-running `stetpay worker`), the child is sent SIGTERM once it resolves, and
 * its peak is read after its graceful shutdown.
 */
export function runChild(env: Record<string, string>, cli: URL, args: string[] = ['run', '--json'], stopWhen?: () => Promise<void>): Promise<ChildRun> {
  const started = Date.now();
  const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...env, STETPAY_BENCH_CLI: cli.href, STETPAY_BENCH_ARGS: JSON.stringify(args), STETPAY_LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], { env: childEnv, cwd: mkdtempSync(join(tmpdir(), 'stetpay-bench-run-')), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  let polled = 0;
  const timer = setInterval(() => {
    if (child.pid) polled = Math.max(polled, peakRssOfPid(child.pid) ?? 0);
  }, 100);
  let stopError: unknown;
  if (stopWhen) {
    void stopWhen()
      .catch((e: unknown) => (stopError = e))
      .finally(() => child.kill('SIGTERM'));
  }
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
      if (stopError) return reject(stopError);
      if (!kb) return reject(new Error(`P4: the \`stetpay ${args[0]}\` child exited ${code} without its peak RSS; stderr: ${stderr.slice(-800)}`));
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
    const s = (r.summary ?? {}) as { bills?: number; enqueued?: number; durationMs?: number; odooCalls?: number };
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

/** Bills of the dev server per `x_stet_status` (in-process read: no XML-RPC call). */
function statusCounts(odoo: RunningOdooDevServer): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of odoo.store.allIds('account.move')) {
    const st = String(odoo.store.value('account.move', id, 'x_stet_status') || 'none');
    out[st] = (out[st] ?? 0) + 1;
  }
  return out;
}

const countsText = (c: Record<string, number>): string =>
  Object.entries(c)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`)
    .join(', ');

/**
 * 3. `stetpay worker` as a child: its nightly run (a `run-batch` job on the run queue, as the
 *    scheduler adds it) collects every bill and queues the payments while its submit worker sends
 *    them to the bank sandbox; the child is stopped (SIGTERM, graceful) once the run's job completed,
 *    not when every payment is sent (that would take minutes more at the machine's rate).
 * 4. `stetpay sync --wait --json` as a child on what the worker left: every bill tracked, those sent
 *    `submitted` (one GET each at the bank, paced at a quarter of the limit), the others `queued` with
 *    their jobs waiting (the sweeper reads them all and checks each job).
 */
export async function workerAndSyncPeakRss(bills: number, ctx: BenchContext): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const stack = await startStack({ bills, log: (m) => ctx.log(`P4: ${m}`) });
  const cli = new URL('../plugin/cli.js', import.meta.url);
  const queues = await StetpayQueues.open({ connection: stack.config.redis, prefix: stack.config.redis.prefix });
  try {
    const job = await queues.run.add(RUN_JOB_NAME, {}, { attempts: 1, removeOnComplete: { count: 10 }, removeOnFail: { count: 10 } });
    let runMs = 0;
    const runDone = async (): Promise<void> => {
      const t = Date.now();
      for (;;) {
        const state = await queues.run.getJobState(job.id!);
        if (state === 'completed') break;
        if (state === 'failed') throw new Error(`P4: the worker's nightly run failed: ${(await queues.run.getJob(job.id!))?.failedReason ?? '?'}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      runMs = Date.now() - t;
    };
    ctx.log(`P4: \`stetpay worker\` as a child, its nightly run over ${bills.toLocaleString('en-US')} bills`);
    const w = await runChild(stack.env, cli, ['worker'], runDone);
    if (w.exitCode !== 0) throw new Error(`P4: \`stetpay worker\` exited ${w.exitCode}`);
    const run = ((await queues.run.getJob(job.id!))?.returnvalue ?? {}) as { bills?: number; byStatus?: Record<string, number> };
    ctx.log(`P4: worker peak RSS ${mib(w.peakBytes)} (run ${formatMs(runMs)})`);
    const afterWorker = statusCounts(stack.odoo);
    const pendingWriteback = await queues.writeback.pending();
    ctx.log(`P4: \`stetpay sync --wait --json\` as a child over the ${bills.toLocaleString('en-US')} bills`);
    const y = await runChild(stack.env, cli, ['sync', '--wait', '--json']);
    const sync = (y.summary ?? {}) as { checked?: number; changed?: number; errors?: unknown[] };
    const afterSync = statusCounts(stack.odoo);
    const row = (what: string, r: ChildRun, note: string): BenchRow => ({
      case: `peak RSS of ${what}, ${bills.toLocaleString('en-US')} bills`,
      target: RSS_TARGET,
      measured: Math.round((r.peakBytes / 1e6) * 10) / 10,
      note: `VmHWM ${mib(r.peakBytes)}; ${note}`,
    });
    return {
      rows: [row('`stetpay worker` (its nightly run, sending meanwhile)', w, `run ${formatMs(runMs)}`), row('`stetpay sync --wait`', y, `${formatMs(y.ms)}`)],
      notes: [
        `P4 worker: \`stetpay worker\` in a child process (config from STETPAY_* only, callback server on, submission mode nightly, 16 in flight, limiter ${stack.env.STETPAY_BANK_RPS}/s); a \`run-batch\` job on the run queue (what the nightly scheduler adds) ran \`runPayments\` in it over ${(run.bills ?? 0).toLocaleString('en-US')} approved bills (${countsText(run.byStatus ?? {})}) in ${formatMs(runMs)} while its submit worker sent payments to the bank sandbox; SIGTERM once the run's job completed (graceful: the payments in flight finished, the write-back flushed), not after every payment was sent. Odoo then: ${countsText(afterWorker)}; write-back left pending ${pendingWriteback}. Peak RSS ${mib(w.peakBytes)} = ${(w.peakBytes / 1e6).toFixed(1)} MB (VmHWM read as it exits; polled: ${mib(w.polledPeakBytes)}), child alive ${formatMs(w.ms)}.`,
        `P4 sync: \`stetpay sync --wait --json\` in a child process on that state: ${sync.checked ?? '?'} payments checked at the bank (one GET each), ${sync.changed ?? '?'} changed, ${sync.errors?.length ?? '?'} errors; the sweep read every bill left queued and checked its job. Odoo after: ${countsText(afterSync)}. Peak RSS ${mib(y.peakBytes)} = ${(y.peakBytes / 1e6).toFixed(1)} MB (polled: ${mib(y.polledPeakBytes)}), ${formatMs(y.ms)}; exit ${y.exitCode}.`,
      ],
    };
  } finally {
    await queues.close();
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
    // Quick: fewer bills for the worker and the sync (a smoke run: each case starts its own stack).
    const processBills = ctx.quick ? 2_000 : 100_000;
    try {
      const r = await workerAndSyncPeakRss(processBills, ctx);
      rows.push(...r.rows);
      notes.push(...r.notes);
    } catch (e) {
      ctx.log(`P4: worker/sync failed: ${e instanceof Error ? e.message : String(e)}`);
      for (const what of ['`stetpay worker` (its nightly run)', '`stetpay sync --wait`']) rows.push(notMeasuredRow(`peak RSS of ${what}, ${processBills.toLocaleString('en-US')} bills`, RSS_TARGET, e instanceof Error ? e.message : String(e)));
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
