import type { RedisClient } from '../connection.js';
import type { BillStatus, BillUpdate } from '../../connector/model/index.js';
import { QUEUE_NAMES } from '../queue-names.js';

/** One pending write-back. */
export interface WritebackItem {
  update: BillUpdate;
  /**
   * Write only if the bill's current `x_stet_status` is one of these (a replay
   * from the ledger must never move a bill backwards). Absent: always write.
   */
  onlyIfStatus?: BillStatus[];
}

/** An update Odoo refused for good, in the dead-letter list (`<prefix>:stetpay-writeback:dead`). */
export interface DeadLetter {
  item: WritebackItem;
  /** What Odoo said, e.g. `... Unknown database identifier '42' ...`. */
  error: string;
  /** ISO 8601 UTC: when it was set aside. */
  at: string;
}

/** The write-back's Redis keys, under the queues' prefix: the pending list, the drain lock, the dead letters. */
export function writebackListKey(prefix: string): string {
  return `${prefix}:${QUEUE_NAMES.writeback}:pending`;
}
export function writebackLockKey(prefix: string): string {
  return `${prefix}:${QUEUE_NAMES.writeback}:lock`;
}
/** Updates Odoo refused for good (a deleted bill), set aside for an operator (docs/worker.md). */
export function writebackDeadLetterKey(prefix: string): string {
  return `${prefix}:${QUEUE_NAMES.writeback}:dead`;
}

/**
 * The producer side of the write-back: a Redis list of pending bill updates.
 * An update leaves the list only after Odoo confirmed the write
 * ({@link WritebackDrainer}), so a crash or an Odoo outage loses nothing.
 */
export class WritebackQueue {
  readonly key: string;
  /** Updates Odoo refused for good, set aside by the drainer. */
  readonly deadLetterKey: string;
  constructor(private readonly redis: RedisClient, opts: { prefix?: string } = {}) {
    this.key = writebackListKey(opts.prefix ?? 'bull');
    this.deadLetterKey = writebackDeadLetterKey(opts.prefix ?? 'bull');
  }

  async push(items: WritebackItem | BillUpdate | (WritebackItem | BillUpdate)[]): Promise<void> {
    const list = Array.isArray(items) ? items : [items];
    if (list.length === 0) return;
    const encoded = list.map((i) => JSON.stringify('update' in i ? i : { update: i }));
    for (let i = 0; i < encoded.length; i += 1000) await this.redis.rpush(this.key, ...encoded.slice(i, i + 1000));
  }

  /** Updates not yet confirmed by Odoo. */
  async pending(): Promise<number> {
    return this.redis.llen(this.key);
  }

  /** The updates Odoo refused for good, oldest first, each with Odoo's message and when. */
  async deadLetters(): Promise<DeadLetter[]> {
    return (await this.redis.lrange(this.deadLetterKey, 0, -1)).map((s) => JSON.parse(s) as DeadLetter);
  }
}
