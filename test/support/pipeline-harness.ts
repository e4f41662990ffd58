/**
 * The whole product against real processes: a real redis-server, the Odoo dev
 * server (seeded), the bank sandbox (NWM 18919), and `stetpay worker` /
 * `stetpay run` / `stetpay sync` as CHILD PROCESSES of the test, started,
 * killed (SIGKILL, SIGTERM) and restarted at will. Nothing is written to the
 * repository: config, certificates, logs and AOF files go to a temp folder.
 *
 * `threeWayCheck()` is the proof every scenario ends with: the bank accepted at
 * most one POST per payment, every approved bill is recorded in Odoo, and
 * Odoo, the ledger and the bank agree.
 */
import { stetpayEnvFor } from './sandbox-env.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { paymentIds, requestDigest, reservationOf, toCents } from '../../connector/rules/index.js';
import type { PaymentRequestResource } from '../../connector/model/index.js';
import { startBankSandbox, type BankFaults, type RunningBankSandbox, type SandboxPayment } from '../../sandbox/bank/index.js';
import { startOdooDevServer, type RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { PaymentLedger } from '../../worker/ledger/payment-ledger.js';
import { QUEUE_NAMES } from '../../worker/queue-names.js';
import type { LedgerEntry } from '../../worker/ledger/ledger-entry.js';
import { buildRoot } from './paths.js';
import { freePort } from './redis-server.js';

/** Full scale with STETPAY_FAULTS=full, else the reduced CI scale. */
export const FULL = process.env.STETPAY_FAULTS === 'full';
export const scale = (ci: number, full: number): number => (FULL ? full : ci);

export interface PipelineOptions {
  /** Seeded vendor bills. */
  invoices: number;
  /** Seed of the Odoo data. @defaultValue 1 */
  seed?: number;
  /** Bank faults active from the start. */
  bankFaults?: BankFaults;
  /** The sandbox's own rate limit (429 + TMRQ above it). @defaultValue none */
  bankRequestsPerSecond?: number;
  /** @defaultValue 'approve' */
  autoConsent?: 'off' | 'approve';
  /** Extra redis-server arguments; `aof: true` adds AOF everysec in the temp folder. */
  redisArgs?: string[];
  aof?: boolean;
  /** Config file content merged over the harness's (e.g. { bank: { responseTimeoutMs: 1500 } }). */
  config?: Record<string, Record<string, unknown>>;
  /** Extra environment of every child. */
  env?: Record<string, string>;
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A `stetpay worker` child process. */
export interface WorkerChild {
  pid: number;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  kill(signal: NodeJS.Signals): void;
  log(): string;
}

const CLI_BOOT = 'import(process.argv[1]).then(m=>m.main(process.argv.slice(2))).then(c=>process.exit(c),e=>{console.error(e);process.exit(70)})';

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur) ? deepMerge(cur as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** A redis-server that can be stopped and started again on the same port and folder (AOF scenarios). */
class RestartableRedis {
  port = 0;
  private child?: ChildProcess;
  constructor(private readonly args: string[]) {}
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--maxmemory-policy', 'noeviction', ...this.args], { stdio: 'ignore' });
    this.child = child;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      const ok = await probe.connect().then(() => probe.ping(), () => null).catch(() => null);
      probe.disconnect();
      if (ok === 'PONG') return;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on port ${this.port}`);
      await sleep(50);
    }
  }
  /** SIGKILL (a crash) or SIGTERM (a clean stop, AOF flushed). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const c = this.child;
    this.child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill(signal);
    await Promise.race([gone, sleep(10_000)]);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// If the test process itself ends abruptly, leave no worker behind (one listener for all pipelines).
const livePipelines = new Set<Pipeline>();
process.once('exit', () => {
  for (const p of livePipelines) p.killChildren();
});

export class Pipeline {
  readonly dir: string;
  readonly prefix: string;
  readonly workers: WorkerChild[] = [];
  private readonly children = new Set<ChildProcess>();
  private redisConn?: Redis;
  private submitQueue?: Queue;
  private workerSeq = 0;

  private constructor(
    readonly opts: PipelineOptions,
    readonly redis: RestartableRedis,
    readonly odoo: RunningOdooDevServer,
    readonly bank: RunningBankSandbox,
    dir: string,
    readonly env: Record<string, string>,
    prefix: string,
  ) {
    this.dir = dir;
    this.prefix = prefix;
    livePipelines.add(this);
  }

  static async start(opts: PipelineOptions): Promise<Pipeline> {
    const dir = mkdtempSync(join(tmpdir(), 'stetpay-pipeline-'));
    const redisArgs = [...(opts.aof ? ['--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', dir] : []), ...(opts.redisArgs ?? [])];
    const redis = new RestartableRedis(redisArgs);
    let odoo: RunningOdooDevServer | undefined;
    let bank: RunningBankSandbox | undefined;
    try {
      await redis.start();
      odoo = await startOdooDevServer({ version: 17, seed: { invoices: opts.invoices, seed: opts.seed ?? 1 } });
      const seedInfo = odoo.seedInfo!;
      bank = await startBankSandbox({
        profile: 'nwm-18919',
        certsDir: join(dir, 'certs'),
        autoConsent: opts.autoConsent ?? 'approve',
        autoConsentCallback: false,
        registeredBeneficiaries: seedInfo.registeredIbans,
        cashAccounts: [seedInfo.debtorIban],
        requestsPerSecond: opts.bankRequestsPerSecond,
        faults: opts.bankFaults,
      });
      const prefix = `{pipe-${Date.now().toString(36)}}`;
      const config = deepMerge(
        { worker: { attempts: 8 }, bank: { responseTimeoutMs: 5000, connectTimeoutMs: 3000 }, odoo: { timeoutMs: 5000 } },
        opts.config ?? {},
      );
      const configFile = join(dir, 'stetpay.config.json');
      writeFileSync(configFile, JSON.stringify(config, null, 2));
      const env: Record<string, string> = {
        STETPAY_CONFIG: configFile,
        ...stetpayEnvFor({ odoo, bank, redisUrl: redis.url, prefix, registeredIbans: seedInfo.registeredIbans }),
        // every command runs as the README's daily user (Internal User + Billing, no Settings
        // rights); `install` alone with the administrator's key (see cli())
        STETPAY_ODOO_USER: odoo.clerk.login,
        STETPAY_ODOO_PASSWORD: odoo.clerk.apiKey,
        STETPAY_CALLBACK_URL: 'http://127.0.0.1:9',
        STETPAY_CALLBACK_SECRET: 'pipeline-harness-secret-0123456789abcdef',
        STETPAY_CALLBACK_PORT: String(await freePort()),
        STETPAY_LOG_LEVEL: 'info',
        ...(opts.env ?? {}),
      };
      return new Pipeline(opts, redis, odoo, bank, dir, env, prefix);
    } catch (err) {
      await bank?.close();
      await odoo?.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** The environment of a child: this pipeline's STETPAY_* only (none inherited from the test's shell). */
  childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
    const base: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('STETPAY_')) base[k] = v;
    const out: NodeJS.ProcessEnv = { ...base, ...this.env };
    for (const [k, v] of Object.entries(extra)) {
      if (v === undefined) delete out[k];
      else out[k] = v;
    }
    return out;
  }

  /**
   * Runs `stetpay <args>` as a child to its end (killed after timeoutMs).
   * `terminal`: on a pseudo-terminal, as a person types it (util-linux `script`;
   * stdout and stderr then arrive together in `stdout`).
   */
  cli(args: string[], o: { env?: Record<string, string | undefined>; timeoutMs?: number; terminal?: boolean } = {}): Promise<ChildResult> {
    const argv = [process.execPath, '-e', CLI_BOOT, join(buildRoot, 'plugin', 'cli.js'), ...args];
    // `stetpay install` needs Settings rights: a company runs it once with an administrator's key
    if (args[0] === 'install') o = { ...o, env: { STETPAY_ODOO_USER: this.odoo.admin.login, STETPAY_ODOO_PASSWORD: this.odoo.admin.apiKey, ...o.env } };
    const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const [cmd, ...rest] = o.terminal ? ['script', '-qec', argv.map(quote).join(' '), '/dev/null'] : argv;
    const child = spawn(cmd!, rest, { env: this.childEnv(o.env), stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 120_000);
    return new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        this.children.delete(child);
        // 'exit' may come before the pipes are drained
        setImmediate(() => resolve({ code, signal, stdout, stderr }));
      });
    });
  }

  /** `stetpay install` then `stetpay run --json`: returns the run's summary. */
  async installAndRun(): Promise<{ summary: RunJson; result: ChildResult }> {
    const inst = await this.cli(['install']);
    if (inst.code !== 0) throw new Error(`stetpay install failed (${inst.code}): ${inst.stderr}`);
    return this.run();
  }

  async run(): Promise<{ summary: RunJson; result: ChildResult }> {
    const result = await this.cli(['run', '--json']);
    if (result.code !== 0) throw new Error(`stetpay run failed (${result.code}): ${result.stderr}`);
    const last = result.stdout.trim().split('\n').pop() ?? '';
    return { summary: JSON.parse(last) as RunJson, result };
  }

  /** `stetpay sync --wait`: status sync + the sweeper. */
  async syncAndSweep(): Promise<ChildResult> {
    return this.cli(['sync', '--wait', '--json'], { timeoutMs: 90_000 });
  }

  /** Starts a `stetpay worker --no-callback` child; its log goes to a file in the temp folder. */
  startWorker(o: { concurrency?: number; env?: Record<string, string | undefined> } = {}): WorkerChild {
    const logFile = join(this.dir, `worker-${++this.workerSeq}.log`);
    const fd = openSync(logFile, 'a');
    const args = [join(buildRoot, 'plugin', 'cli.js'), 'worker', '--no-callback', ...(o.concurrency ? ['--concurrency', String(o.concurrency)] : [])];
    const child = spawn(process.execPath, ['-e', CLI_BOOT, ...args], { env: this.childEnv(o.env), stdio: ['ignore', fd, fd] });
    closeSync(fd);
    this.children.add(child);
    let done = false;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => {
        done = true;
        this.children.delete(child);
        resolve({ code, signal });
      }),
    );
    const w: WorkerChild = {
      pid: child.pid!,
      child,
      exited,
      alive: () => !done,
      kill: (signal) => {
        if (!done) child.kill(signal);
      },
      log: () => readFileSync(logFile, 'utf8'),
    };
    this.workers.push(w);
    return w;
  }

  /** Waits until a worker's log says it is running (it connected to Odoo, the bank and Redis). */
  async workerReady(w: WorkerChild, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (w.log().includes('worker.started')) return;
      if (!w.alive()) throw new Error(`worker ${w.pid} exited before it started:\n${w.log().slice(-2000)}`);
      await sleep(100);
    }
    throw new Error(`worker ${w.pid} did not start within ${timeoutMs} ms:\n${w.log().slice(-2000)}`);
  }

  liveWorkers(): WorkerChild[] {
    return this.workers.filter((w) => w.alive());
  }

  /** SIGTERM to every live worker, SIGKILL after graceMs. */
  async stopWorkers(graceMs = 30_000): Promise<void> {
    const live = this.liveWorkers();
    for (const w of live) w.kill('SIGTERM');
    await Promise.race([Promise.all(live.map((w) => w.exited)), sleep(graceMs)]);
    for (const w of this.liveWorkers()) w.kill('SIGKILL');
    await Promise.all(live.map((w) => w.exited));
  }

  /** A plain connection to the pipeline's Redis (reconnects after a restart). */
  conn(): Redis {
    this.redisConn ??= new Redis(this.redis.url, { maxRetriesPerRequest: null });
    return this.redisConn;
  }

  ledger(): PaymentLedger {
    return new PaymentLedger(this.conn(), { prefix: this.prefix });
  }

  queue(): Queue {
    this.submitQueue ??= new Queue(QUEUE_NAMES.submit, { connection: this.conn(), prefix: this.prefix });
    return this.submitQueue;
  }

  /** Bills as Odoo has them now (read from the dev server's store: no XML-RPC traffic added). */
  bills(): OdooBill[] {
    const ids = this.odoo.store.search('account.move', [['move_type', 'in', ['in_invoice', 'in_refund']]]);
    return this.odoo.store.read('account.move', ids).map((r) => ({
      id: r.id,
      name: String(r.name),
      status: (r.x_stet_status as string) || null,
      reason: (r.x_stet_status_reason as string) || null,
      paymentInformationId: (r.x_stet_payment_information_id as string) || null,
      resourceId: (r.x_stet_resource_id as string) || null,
      attempt: Number(r.x_stet_attempt || 0),
    }));
  }

  /** POST /payment-requests the bank saw, by paymentInformationId. */
  bankPosts(): Map<string, (number | 'dropped')[]> {
    const out = new Map<string, (number | 'dropped')[]>();
    for (const r of this.bank.requests()) {
      if (r.method !== 'POST' || !/\/payment-requests$/.test(r.path) || !r.paymentInformationId) continue;
      out.set(r.paymentInformationId, [...(out.get(r.paymentInformationId) ?? []), r.status]);
    }
    return out;
  }

  totalBankPosts(): number {
    return this.bank.requests().filter((r) => r.method === 'POST' && /\/payment-requests$/.test(r.path)).length;
  }

  /** Bills still `queued` in Odoo among `billIds`. */
  stillQueued(billIds: number[]): number[] {
    const set = new Set(billIds);
    return this.bills().filter((b) => set.has(b.id) && b.status === 'queued').map((b) => b.id);
  }

  /**
   * Waits until none of `billIds` is `queued` in Odoo. Every `sweepEveryMs`
   * while some still are, runs `stetpay sync --wait` (status sync + sweeper).
   */
  async waitSettled(billIds: number[], o: { timeoutMs: number; sweepEveryMs?: number }): Promise<number[]> {
    const deadline = Date.now() + o.timeoutMs;
    let nextSweep = Date.now() + (o.sweepEveryMs ?? 20_000);
    for (;;) {
      const pending = this.stillQueued(billIds);
      if (pending.length === 0 || Date.now() > deadline) return pending;
      if (Date.now() > nextSweep) {
        await this.syncAndSweep();
        nextSweep = Date.now() + (o.sweepEveryMs ?? 20_000);
      }
      await sleep(250);
    }
  }

  /** Kills every child still running (by pid), stops the servers, removes the temp folder. */
  /** SIGKILL every child still running (used at process exit). */
  killChildren(): void {
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    livePipelines.delete(this);
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(this.workers.map((w) => Promise.race([w.exited, sleep(5000)])));
    await this.submitQueue?.close().catch(() => undefined);
    this.redisConn?.disconnect();
    await this.bank.close();
    await this.odoo.close();
    await this.redis.stop('SIGKILL');
    if (!process.env.STETPAY_KEEP_PIPELINE) rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface RunJson {
  bills: number;
  byStatus: Record<string, number>;
  enqueued: number;
  invalid: { billId: number; billName: string; status: string; reasons: { code: string; message: string }[] }[];
  notYetPayable: number;
  odooCalls: number;
}

export interface OdooBill {
  id: number;
  name: string;
  status: string | null;
  reason: string | null;
  paymentInformationId: string | null;
  resourceId: string | null;
  attempt: number;
}

/** What the seed says a plain run should make of each bill: a bank status, `invalid`, or untouched (null). */
export type Expectation = 'paid' | 'invalid' | null;

/** Seeded problems the run refuses with a reason (`invalid`), and those it never selects. */
const INVALID_PROBLEMS = new Set(['no_bank_account', 'wrong_iban', 'untrusted_account', 'usd', 'foreign_account']);
// to_check / blocked: Odoo says the bill is not ready; the run leaves it for a later night.
const UNSELECTED_PROBLEMS = new Set(['paid', 'refund', 'blocked', 'to_check', 'not_approved', 'due_in_60_days']);

export function expectationOf(problem: string | undefined): Expectation {
  if (!problem || problem === 'partial') return 'paid';
  if (INVALID_PROBLEMS.has(problem)) return 'invalid';
  if (UNSELECTED_PROBLEMS.has(problem)) return null;
  throw new Error(`unknown seeded problem '${problem}': teach expectationOf about it`);
}

/** Statuses that say "the payment went to the bank and stetpay knows its reference". */
const AT_BANK = new Set(['submitted', 'accepted', 'executed']);
/** Where an approved bill may end: recorded in Odoo with a status a clerk can act on. */
const RECORDED = new Set(['submitted', 'accepted', 'executed', 'rejected', 'cancelled', 'invalid', 'needs_review', 'expired', 'withdrawn']);
const LIVE_JOB = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

export interface CheckReport {
  /** One line per broken promise or disagreement; empty when all is well. */
  mismatches: string[];
  byStatus: Record<string, number>;
  bankPayments: number;
  bankPosts: number;
  /** Payments POSTed more than once (the later ones refused as duplicates or dropped). */
  repostedIds: number;
  /** Bills left `queued` that still have a live job (in flight at the end). */
  queuedWithLiveJob: number;
}

export interface CheckOptions {
  /** Bills the run reserved (`queued` in its summary): they must end recorded. */
  reservedBillIds: number[];
  /** Bills whose payment must NOT reach the bank (the bad ones). */
  neverSentBillIds?: number[];
  /** The ledger may be gone (FLUSHALL): its absence is not a mismatch. @defaultValue false */
  ledgerMayBeLost?: boolean;
}

/**
 * The three-way check: (a) at most one accepted POST and one stored payment
 * per paymentInformationId; (b) every reserved bill ends recorded in Odoo
 * (never `queued` with nothing behind it); (c) Odoo, the ledger and the bank
 * agree, bill by bill. Returns every mismatch, printed by the caller.
 */
export async function threeWayCheck(p: Pipeline, o: CheckOptions): Promise<CheckReport> {
  const mismatches: string[] = [];
  const bills = p.bills();
  const byId = new Map(bills.map((b) => [b.id, b]));
  const posts = p.bankPosts();
  const payments = p.bank.payments();
  const bankByPid = new Map<string, SandboxPayment[]>();
  for (const pay of payments) bankByPid.set(pay.paymentInformationId, [...(bankByPid.get(pay.paymentInformationId) ?? []), pay]);

  // (a) never twice, at the bank
  let reposted = 0;
  for (const [pid, statuses] of posts) {
    const accepted = statuses.filter((s) => s === 201).length;
    if (accepted > 1) mismatches.push(`(a) payment ${pid}: the bank accepted ${accepted} POSTs`);
    if (statuses.length > 1) reposted++;
  }
  for (const [pid, list] of bankByPid) if (list.length > 1) mismatches.push(`(a) payment ${pid}: the bank stores ${list.length} payments`);

  // (b) nothing lost
  const queue = p.queue();
  const byStatus: Record<string, number> = {};
  let queuedWithLiveJob = 0;
  for (const billId of o.reservedBillIds) {
    const b = byId.get(billId);
    if (!b) {
      mismatches.push(`(b) bill ${billId}: not in Odoo`);
      continue;
    }
    byStatus[b.status ?? 'none'] = (byStatus[b.status ?? 'none'] ?? 0) + 1;
    if (b.status === 'queued') {
      const state = b.paymentInformationId ? await queue.getJobState(b.paymentInformationId) : 'unknown';
      if (LIVE_JOB.has(state)) queuedWithLiveJob++;
      else mismatches.push(`(b) bill ${b.name} (${billId}): still queued with no live job (job ${state}); reason: ${b.reason ?? '-'}`);
    } else if (!b.status || !RECORDED.has(b.status)) {
      mismatches.push(`(b) bill ${b.name} (${billId}): status '${b.status}' is not a recorded outcome`);
    }
    if (b.status === 'needs_review' && !b.reason) mismatches.push(`(b) bill ${b.name}: needs_review without a reason`);
  }

  // (c) Odoo, ledger and bank agree
  const pids = bills.filter((b) => b.paymentInformationId).map((b) => b.paymentInformationId!);
  let ledger = new Map<string, LedgerEntry | null>();
  try {
    ledger = await p.ledger().getMany(pids);
  } catch (err) {
    mismatches.push(`(c) cannot read the ledger: ${(err as Error).message}`);
  }
  for (const b of bills) {
    if (!b.paymentInformationId) continue;
    const pid = b.paymentInformationId;
    const atBank = bankByPid.get(pid)?.[0];
    const entry = ledger.get(pid) ?? null;
    const who = `bill ${b.name} (${b.id}, ${pid})`;
    if (atBank) {
      if (b.status === 'invalid') mismatches.push(`(c) ${who}: invalid in Odoo but the bank has ${atBank.resourceId}`);
      if (b.status && AT_BANK.has(b.status) && b.resourceId !== atBank.resourceId) mismatches.push(`(c) ${who}: Odoo resource ${b.resourceId} != bank resource ${atBank.resourceId}`);
      if (b.status === 'needs_review' && b.resourceId && b.resourceId !== atBank.resourceId) mismatches.push(`(c) ${who}: needs_review with resource ${b.resourceId} != bank ${atBank.resourceId}`);
      if (entry?.state === 'sent' && entry.resourceId !== atBank.resourceId) mismatches.push(`(c) ${who}: ledger resource ${entry.resourceId} != bank ${atBank.resourceId}`);
    } else {
      if (b.status && AT_BANK.has(b.status)) mismatches.push(`(c) ${who}: ${b.status} in Odoo (resource ${b.resourceId}) but the bank has no such payment`);
      if (entry?.state === 'sent') mismatches.push(`(c) ${who}: ledger says sent (${entry.resourceId}) but the bank has no such payment`);
    }
    if (entry?.state === 'sent' && b.status && ['queued', 'invalid', 'rejected'].includes(b.status)) mismatches.push(`(c) ${who}: ledger sent but Odoo shows ${b.status}`);
    if (entry?.state === 'final' && entry.status === 'needs_review' && b.status && AT_BANK.has(b.status)) mismatches.push(`(c) ${who}: ledger needs_review but Odoo shows ${b.status}`);
    if (!entry && !o.ledgerMayBeLost && b.status && b.status !== 'invalid' && b.status !== 'queued') mismatches.push(`(c) ${who}: ${b.status} in Odoo but no ledger entry`);
    // A payment POSTed again after the bank took it must have been flagged, never silently counted twice.
    const st = posts.get(pid) ?? [];
    if (atBank && st.length > 1 && b.status && !['needs_review', ...AT_BANK].includes(b.status)) mismatches.push(`(c) ${who}: POSTed ${st.length} times (${st.join(',')}), Odoo shows ${b.status}`);
  }

  // only what was reserved: what the bank holds equals what Odoo recorded at reservation
  mismatches.push(...reservationMismatches(p, bankByPid));

  // the bad bills never reach the bank (any attempt's ids)
  const database = p.odoo.database;
  for (const billId of o.neverSentBillIds ?? []) {
    for (const attempt of [1, 2]) {
      const pid = paymentIds(database, billId, attempt).paymentInformationId;
      if (posts.has(pid)) mismatches.push(`(a) bad bill ${billId}: POSTed to the bank as ${pid}`);
    }
  }
  // every payment at the bank belongs to a bill Odoo knows under that id
  const knownPids = new Set(pids);
  for (const pid of bankByPid.keys()) if (!knownPids.has(pid)) mismatches.push(`(c) the bank has payment ${pid} that no Odoo bill records`);

  return { mismatches, byStatus, bankPayments: payments.length, bankPosts: p.totalBankPosts(), repostedIds: reposted, queuedWithLiveJob };
}

/** The part of a request that says who is paid, how much, when and under which ids. */
function paymentFacts(r: Record<string, unknown>): string {
  const q = r as unknown as PaymentRequestResource;
  const tx = q.creditTransferTransaction?.[0];
  return JSON.stringify({
    pid: q.paymentInformationId,
    debtor: q.debtorAccount?.iban,
    ids: tx?.paymentId,
    date: tx?.requestedExecutionDate,
    amount: tx?.instructedAmount,
    creditor: tx?.beneficiary?.creditor?.name,
    account: tx?.beneficiary?.creditorAccount?.iban,
    remittance: tx?.remittanceInformation,
  });
}

/**
 * Each payment at the bank against the bill that records its ids: the request
 * Odoo recorded at reservation is intact (its digest), says what the bank holds
 * (who, how much, when, ids, remittance), and the reserved IBAN and amount
 * shown on the bill agree.
 */
function reservationMismatches(p: Pipeline, bankByPid: Map<string, SandboxPayment[]>): string[] {
  const out: string[] = [];
  const st = p.odoo.store;
  const ids = st.search('account.move', [['x_stet_payment_information_id', 'in', [...bankByPid.keys()]]]);
  const byPid = new Map(st.read('account.move', ids).map((r) => [String(r.x_stet_payment_information_id), r]));
  for (const [pid, [pay]] of bankByPid) {
    const bill = byPid.get(pid);
    if (!bill) continue; // reported as unknown elsewhere
    const who = `bill ${String(bill.name)} (${bill.id}, ${pid})`;
    const text = typeof bill.x_stet_request === 'string' ? bill.x_stet_request : '';
    if (!text) {
      out.push(`(r) ${who}: the bank has it but Odoo recorded no request at reservation`);
      continue;
    }
    if (requestDigest(text) !== bill.x_stet_request_digest) out.push(`(r) ${who}: the recorded request does not match its digest`);
    const reserved = JSON.parse(text) as PaymentRequestResource;
    if (paymentFacts(pay!.resource) !== paymentFacts(reserved as unknown as Record<string, unknown>)) {
      out.push(`(r) ${who}: the bank holds ${paymentFacts(pay!.resource)}, Odoo reserved ${paymentFacts(reserved as unknown as Record<string, unknown>)}`);
    }
    const r = reservationOf(reserved);
    if (bill.x_stet_reserved_iban !== r.iban || toCents(Number(bill.x_stet_reserved_amount)) !== r.amountCents) out.push(`(r) ${who}: the reserved IBAN/amount on the bill (${String(bill.x_stet_reserved_iban)}, ${String(bill.x_stet_reserved_amount)}) are not the request's`);
  }
  return out;
}

/** Fails with every mismatch listed (and the figures), for a readable test failure. */
export function assertClean(r: CheckReport, label: string): void {
  if (r.mismatches.length === 0) return;
  const shown = r.mismatches.slice(0, 40).join('\n  ');
  throw new Error(`${label}: ${r.mismatches.length} mismatch(es)\n  ${shown}${r.mismatches.length > 40 ? '\n  ...' : ''}\nfigures: ${JSON.stringify({ ...r, mismatches: undefined })}`);
}

/** Bill ids by what the seed expects. */
export function seededExpectations(p: Pipeline): { paid: number[]; invalid: number[]; untouched: number[] } {
  const info = p.odoo.seedInfo!;
  const out = { paid: [] as number[], invalid: [] as number[], untouched: [] as number[] };
  for (const id of info.billIds) {
    const e = expectationOf(info.problems[id]);
    (e === 'paid' ? out.paid : e === 'invalid' ? out.invalid : out.untouched).push(id);
  }
  return out;
}
