import type { RedisClient } from '../connection.js';
import type { BillUpdate } from '../../connector/model/index.js';
import type { DeadLetter, WritebackItem } from '../interfaces/writeback-options.js';
import { writebackDeadLetterKey, writebackListKey } from './writeback-keys.js';

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
