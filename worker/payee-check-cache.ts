/**
 * Verification of Payee answers kept in Redis for `ttlMs` (vop.cacheHours), so
 * the next run asks the provider nothing new about a pair it already checked.
 * One small string per (IBAN, name), under the queues' prefix (hash tag
 * included); the key is a digest, so no IBAN or name is readable in key lists.
 */
import { createHash } from 'node:crypto';
import { isVopResult, payeeKey, type PayeeCheck } from '../connector/model/index.js';
import type { RedisClient } from './connection.js';

export class PayeeCheckCache {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    readonly ttlMs: number,
  ) {}

  key(pair: { iban: string; name: string }): string {
    return `${this.prefix}:stetpay:vop:${createHash('sha256').update(payeeKey(pair)).digest('hex')}`;
  }

  /** The cached answer of each pair found (by payeeKey). */
  async getMany(pairs: readonly { iban: string; name: string }[]): Promise<Map<string, PayeeCheck>> {
    const out = new Map<string, PayeeCheck>();
    // Parallel GETs: ioredis pipelines them, and they work on a cluster slot by slot.
    const values = await Promise.all(pairs.map((p) => this.redis.get(this.key(p))));
    pairs.forEach((p, i) => {
      const v = values[i];
      if (!v) return;
      try {
        const check = JSON.parse(v) as PayeeCheck;
        // A digest collision or an old format is a miss, never someone else's answer.
        if (check.iban === p.iban && check.name === p.name && isVopResult(check.result)) out.set(payeeKey(p), check);
      } catch {
        /* unreadable: a miss */
      }
    });
    return out;
  }

  async setMany(checks: readonly PayeeCheck[]): Promise<void> {
    if (this.ttlMs <= 0) return;
    await Promise.all(checks.map((c) => this.redis.set(this.key(c), JSON.stringify(c), 'PX', this.ttlMs)));
  }
}
