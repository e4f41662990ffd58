/**
 * One night through the whole pipeline, as `stetpay worker` runs it: the
 * worker runtime (submit worker, write-back drainer) started first, then
 * `runPayments` (collect, map, reserve in Odoo, enqueue), until no bill is
 * left `queued` in Odoo (each payment sent and its answer written back).
 */
import type { PaymentRequestResource } from '../../connector/model/index.js';
import { withConsentLinks } from '../../plugin/callback/job-consent-links.js';
import { createLogger } from '../../plugin/runtime/logger.js';
import { openBank } from '../../plugin/connect/open-bank.js';
import { startWorkerRuntime, type WorkerConfig } from '../../plugin/runtime/worker-runtime.js';
import { runPayments } from '../../plugin/run/run-payments.js';
import { openOdoo } from '../../plugin/connect/open-odoo.js';
import { StetpayQueues } from '../../worker/index.js';
import { startStetpay, type RunningStetpay } from '../../test/support/stetpay-bin.js';
import { paymentPosts, stillQueued, type BenchStack } from './stack.js';

export interface NightOptions {
  /** Submit jobs in flight per worker process. */
  concurrency: number;
  /**
   * Real `stetpay worker --no-callback` processes (configured by the stack's STETPAY_* only), the run in
   * this process. @defaultValue 0: one worker runtime in this process
   */
  workerProcesses?: number;
  /** Gives up (and throws) after this long. @defaultValue 600000 */
  timeoutMs?: number;
  /** Keep the request bodies the workers sent (P2 replays them in its bare loop). @defaultValue false */
  keepRequests?: boolean;
  /** Replaces the config (e.g. a shared limiter above the schema's maximum). @defaultValue stack.config */
  config?: WorkerConfig;
  log?: (m: string) => void;
}

export interface NightResult {
  /** Approved bills the run read. */
  bills: number;
  /** Payments the run enqueued. */
  enqueued: number;
  /** Bills refused before the bank (invalid, needs review). */
  refused: number;
  /** `runPayments` alone: collect, map, reserve, enqueue. */
  runMs: number;
  /** From the start of `runPayments` until no bill is `queued` in Odoo. */
  totalMs: number;
  /** POST /payment-requests answered by the bank, by status. */
  postsByStatus: Record<string, number>;
  /** First and last POST the bank answered 201, ms since the start of the run. */
  firstPostMs: number;
  lastPostMs: number;
  /** Bills per status in Odoo at the end. */
  odooByStatus: Record<string, number>;
  requests: PaymentRequestResource[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What runs the workers: this process's runtime, or worker processes (then the run opens its own Odoo and queues). */
async function startWorkers(stack: BenchStack, config: WorkerConfig, opts: NightOptions): Promise<{ odoo: Parameters<typeof runPayments>[0]['odoo']; queues: StetpayQueues; close(): Promise<unknown> }> {
  if (!opts.workerProcesses) {
    const runtime = await startWorkerRuntime(config, { logger: createLogger({ level: 'error' }), callbackServer: false, concurrency: opts.concurrency });
    return { odoo: runtime.odoo, queues: runtime.queues, close: () => runtime.close() };
  }
  const env = { ...stack.env, STETPAY_WORKER_CONCURRENCY: String(opts.concurrency), STETPAY_LOG_LEVEL: 'error' };
  const workers: RunningStetpay[] = [];
  const close = async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
  };
  try {
    for (let i = 0; i < opts.workerProcesses; i++) workers.push(startStetpay(['worker', '--no-callback'], { env }));
    await Promise.all(workers.map((w) => w.waitFor(/stetpay worker: running/)));
    opts.log?.(`${workers.length} worker processes running (pids ${workers.map((w) => w.child.pid).join(', ')})`);
    const odoo = await openOdoo(config.odoo);
    const queues = await StetpayQueues.open({ connection: config.redis, prefix: config.redis.prefix });
    return {
      odoo,
      queues,
      close: async () => {
        await close();
        await queues.close();
        odoo.close();
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}

export async function runNight(stack: BenchStack, opts: NightOptions): Promise<NightResult> {
  const config = opts.config ?? stack.config;
  const runtime = await startWorkers(stack, config, opts);
  try {
    const { profile } = openBank(config.bank);
    const start = Date.now();
    const run = await runPayments({ odoo: runtime.odoo, config, profile, queues: runtime.queues });
    const runMs = Date.now() - start;
    opts.log?.(`run: ${run.bills} bills read, ${run.enqueued} enqueued in ${runMs} ms; waiting for the workers`);
    const deadline = start + (opts.timeoutMs ?? 600_000);
    let last = -1;
    for (;;) {
      const left = stillQueued(stack.odoo);
      if (left === 0) break;
      if (Date.now() > deadline) throw new Error(`${left} bills still queued after ${opts.timeoutMs ?? 600_000} ms`);
      if (left !== last && Math.floor(left / 1000) !== Math.floor(last / 1000)) opts.log?.(`${left} bills still queued`);
      last = left;
      await sleep(50);
    }
    const totalMs = Date.now() - start;
    const posts = await paymentPosts(stack.bank);
    const postsByStatus: Record<string, number> = {};
    for (const p of posts) postsByStatus[String(p.status)] = (postsByStatus[String(p.status)] ?? 0) + 1;
    const accepted = posts.filter((p) => p.status === 201).map((p) => p.at);
    const odooByStatus: Record<string, number> = {};
    for (const id of run.queuedBillIds) {
      const s = String(stack.odoo.store.value('account.move', id, 'x_stet_status') || 'none');
      odooByStatus[s] = (odooByStatus[s] ?? 0) + 1;
    }
    let requests: PaymentRequestResource[] = [];
    if (opts.keepRequests) {
      const jobs = await runtime.queues.submit.getJobs(['completed'], 0, -1);
      requests = jobs.map((j) => withConsentLinks(config.callback, j.data)); // the bodies as POSTed
    }
    return {
      bills: run.bills,
      enqueued: run.enqueued,
      refused: run.bills - run.enqueued - run.notYetPayable,
      runMs,
      totalMs,
      postsByStatus,
      firstPostMs: accepted.reduce((a, b) => Math.min(a, b), Infinity) - start,
      lastPostMs: accepted.reduce((a, b) => Math.max(a, b), -Infinity) - start,
      odooByStatus,
      requests,
    };
  } finally {
    await runtime.close();
  }
}

export const byStatusText = (m: Record<string, number>): string =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
    .join(', ');
