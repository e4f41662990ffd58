import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../connection.js';
import { loadScript } from '../commands/load-script.js';
import type { OdooPort } from '../interfaces/odoo-port.js';
import { DrainLockLostError, WritebackDeadLetterError } from '../errors.js';
import { coalesceUpdates } from './coalesce-updates.js';
import { nextBatchSize, type BatchSizing } from './writeback-batch-size.js';
import { refusedBills } from './refused-bills.js';
import { writebackDeadLetterKey, writebackListKey, writebackLockKey, type DeadLetter, type WritebackItem } from './writeback-queue.js';

const RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";

/** Options of {@link WritebackDrainer}. */
export interface WritebackDrainerOptions {
  /** Same prefix as the queues. @defaultValue 'bull' */
  prefix?: string;
  /**
   * Most list items written per drain (one `load` per field set, one note create): the size a fast
   * Odoo gets; a slower one gets smaller batches (`targetBatchMs`). @defaultValue 500
   */
  batchSize?: number;
  /**
   * What one batch's write should take, ms: the next batch is sized from the time the last took
   * (`nextBatchSize`). A real Odoo 17 took up to 8.3 s for a 500-row `load`, blocking one of its
   * workers and nearing its time-outs; 2 s keeps each call short while the batches stay large
   * enough that the calls per bill stay low (P6). @defaultValue 2000
   */
  targetBatchMs?: number;
  /** Fewest list items a batch, however slow Odoo is (below it each call's fixed cost dominates). @defaultValue 20 */
  minBatchSize?: number;
  /** The clock write times are read from, ms (tests give a fake one). @defaultValue performance.now */
  now?: () => number;
  /** Ms to wait for a batch to fill before writing a smaller one. @defaultValue 500 */
  maxDelayMs?: number;
  /** Ms between checks of an empty list. @defaultValue 200 */
  pollMs?: number;
  /** First back-off after a failed Odoo write, ms; doubles up to `maxRetryDelayMs`. @defaultValue 1000 */
  retryDelayMs?: number;
  /** @defaultValue 30000 */
  maxRetryDelayMs?: number;
  /** Ms the drain lock lives (one drainer at a time keeps updates in order); renewed every third of it while a drain runs. @defaultValue 60000 */
  lockTtlMs?: number;
  /**
   * Told of each failed write (the items stay queued), and of bills set aside
   * in the dead-letter list (a `WritebackDeadLetterError`: the rest was written).
   */
  onError?: (err: unknown, pending: number) => void;
}

/**
 * Drains the write-back list into Odoo in batches (by size or after a short
 * delay; the size follows how long Odoo took for the last batch, aiming at
 * `targetBatchMs` within [`minBatchSize`, `batchSize`]), one drainer at a time
 * (a Redis lock, renewed while a drain runs), removing items only after Odoo
 * confirmed them. Odoo down: back-off and retry
 * until it is back. A bill Odoo refuses for good (deleted) is set aside in a
 * dead-letter list, so it never blocks the others.
 */
export class WritebackDrainer {
  private readonly listKey: string;
  private readonly lockKey: string;
  private readonly deadKey: string;
  private readonly token = randomUUID();
  private readonly o: Required<Omit<WritebackDrainerOptions, 'onError' | 'prefix' | 'targetBatchMs' | 'minBatchSize' | 'now'>>;
  private readonly sizing: BatchSizing;
  private readonly now: () => number;
  /** Items the next drain takes: starts at `batchSize`, then follows Odoo's write times. */
  private size: number;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: RedisClient,
    private readonly odoo: Pick<OdooPort, 'writeBillUpdates' | 'readTrackedBills'>,
    private readonly opts: WritebackDrainerOptions = {},
  ) {
    const prefix = opts.prefix ?? 'bull';
    this.listKey = writebackListKey(prefix);
    this.lockKey = writebackLockKey(prefix);
    this.deadKey = writebackDeadLetterKey(prefix);
    this.o = {
      batchSize: opts.batchSize ?? 500,
      maxDelayMs: opts.maxDelayMs ?? 500,
      pollMs: opts.pollMs ?? 200,
      retryDelayMs: opts.retryDelayMs ?? 1000,
      maxRetryDelayMs: opts.maxRetryDelayMs ?? 30_000,
      lockTtlMs: opts.lockTtlMs ?? 60_000,
    };
    const max = this.o.batchSize;
    this.sizing = { targetMs: opts.targetBatchMs ?? 2000, min: Math.min(max, opts.minBatchSize ?? 20), max };
    this.now = opts.now ?? (() => performance.now());
    this.size = max;
  }

  /** Items the next drain takes at most (follows the time Odoo took for the last batch). */
  get batchSize(): number {
    return this.size;
  }

  /** Starts the background loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the batch in flight (its items are trimmed only if written). */
  async close(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    const del = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
    await this.redis.eval(del, 1, this.lockKey, this.token).catch(() => undefined);
  }

  /**
   * Writes one batch (up to the current batch size) if this drainer gets the lock.
   * Returns the number of list items consumed; throws when Odoo failed.
   */
  async drainOnce(): Promise<number> {
    // One drain at a time per drainer: two in flight would share the lock token and
    // the second trim would remove items nobody wrote (the loop, flush() and the
    // consent callback all call this).
    const turn = this.inFlight.then(() => this.drainUnderLock());
    this.inFlight = turn.catch(() => undefined);
    return turn;
  }

  private async drainUnderLock(): Promise<number> {
    if (!(await this.lock())) return 0;
    // A drain makes several Odoo calls (each up to the Odoo time-out, reads retried): keep the
    // lock alive all along, so a second drainer never takes the list over mid-drain.
    const heartbeat = setInterval(() => void this.renew().catch(() => undefined), Math.max(10, Math.floor(this.o.lockTtlMs / 3)));
    try {
      const raw = await this.redis.lrange(this.listKey, 0, this.size - 1);
      if (raw.length === 0) return 0;
      const items = raw.map((r) => JSON.parse(r) as WritebackItem);
      const dead = await this.writeSettingAside(items);
      const trimmed = await this.redis.eval(loadScript('trimWriteback-3'), 3, this.listKey, this.lockKey, this.deadKey, this.token, raw.length, ...dead.map((d) => JSON.stringify(d)));
      if (Number(trimmed) === 1 && dead.length > 0) {
        const ids = [...new Set(dead.map((d) => d.item.update.billId))];
        this.opts.onError?.(new WritebackDeadLetterError(ids, this.deadKey, dead[0]!.error), await this.redis.llen(this.listKey));
      }
      return raw.length;
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * Writes the items; when Odoo refuses named bills for good, sets their items
   * aside (returned) and writes the others again. Throws when the refusal names
   * no bill of the batch (Odoo down, a field missing): the whole batch is
   * retried later.
   */
  private async writeSettingAside(items: WritebackItem[]): Promise<DeadLetter[]> {
    await this.holdLock();
    let live = await this.applyConditions(items);
    const dead: DeadLetter[] = [];
    while (live.length > 0) {
      await this.holdLock();
      const started = this.now();
      try {
        await this.odoo.writeBillUpdates(coalesceUpdates(live.map((i) => i.update)));
        this.resize(live.length, started, true);
        break;
      } catch (err) {
        this.resize(live.length, started, false);
        const refused = new Map(refusedBills(err).map((r) => [r.billId, r.message]));
        const out = live.filter((i) => refused.has(i.update.billId));
        if (out.length === 0) throw err;
        const at = new Date().toISOString();
        dead.push(...out.map((item) => ({ item, error: refused.get(item.update.billId)!, at })));
        live = live.filter((i) => !refused.has(i.update.billId));
      }
    }
    return dead;
  }

  /** Drains until the list is empty (throws on the first Odoo failure). */
  async flush(): Promise<void> {
    for (;;) {
      if ((await this.redis.llen(this.listKey)) === 0) return;
      const n = await this.drainOnce();
      if (n === 0) await this.sleep(this.o.pollMs); // another drainer holds the lock
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const pending = await this.redis.llen(this.listKey);
        if (pending === 0) {
          await this.sleep(this.o.pollMs);
          continue;
        }
        if (pending < this.size && failures === 0) await this.sleep(this.o.maxDelayMs);
        if (!this.running) break;
        const n = await this.drainOnce();
        if (n === 0) await this.sleep(this.o.pollMs);
        failures = 0;
      } catch (err) {
        failures++;
        const pending = await this.redis.llen(this.listKey).catch(() => -1);
        this.opts.onError?.(err, pending);
        await this.sleep(Math.min(this.o.retryDelayMs * 2 ** (failures - 1), this.o.maxRetryDelayMs));
      }
    }
  }

  /** The next batch's size from this write's time (a write that timed out shrinks it too: see nextBatchSize). */
  private resize(items: number, started: number, ok: boolean): void {
    this.size = nextBatchSize(this.size, { items, ms: this.now() - started, ok }, this.sizing);
  }

  private async lock(): Promise<boolean> {
    const got = await this.redis.set(this.lockKey, this.token, 'PX', this.o.lockTtlMs, 'NX');
    if (got === 'OK') return true;
    return this.renew();
  }

  /** Extends the lock if this drainer still holds it. */
  private async renew(): Promise<boolean> {
    return Number(await this.redis.eval(RENEW, 1, this.lockKey, this.token, this.o.lockTtlMs)) === 1;
  }

  /** Before each Odoo call: a drainer that lost the lock (Redis unreachable longer than its life) stops writing. */
  private async holdLock(): Promise<void> {
    if (!(await this.renew())) throw new DrainLockLostError(this.lockKey);
  }

  /** Drops conditional replays whose bill has moved on in Odoo (one read per batch). */
  private async applyConditions(items: WritebackItem[]): Promise<WritebackItem[]> {
    const conditional = items.filter((i) => i.onlyIfStatus);
    if (conditional.length === 0) return items;
    const ids = [...new Set(conditional.map((i) => i.update.billId))];
    const current = new Map((await this.odoo.readTrackedBills({ billIds: ids })).map((b) => [b.billId, b.status]));
    return items.filter((i) => !i.onlyIfStatus || i.onlyIfStatus.includes(current.get(i.update.billId) as never));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }
}
