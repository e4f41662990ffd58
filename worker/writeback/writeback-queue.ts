import type { Redis } from 'ioredis';
import type { BillUpdate } from '../../connector/model/index.js';
import type { WritebackItem } from '../interfaces/writeback-options.js';
import { writebackListKey } from './writeback-keys.js';

/**
 * The producer side of the write-back: a Redis list of pending bill updates.
 * An update leaves the list only after Odoo confirmed the write
 * ({@link WritebackDrainer}), so a crash or an Odoo outage loses nothing.
 */
export class WritebackQueue {
  readonly key: string;
  constructor(private readonly redis: Redis, opts: { prefix?: string } = {}) {
    this.key = writebackListKey(opts.prefix ?? 'bull');
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
}
