/**
 * Remembers used consent nonces in Redis: `SET key 1 NX EX ttl` is atomic, so
 * of two simultaneous hits with the same link exactly one wins, across every
 * worker process sharing the Redis.
 */
import type { RedisClient } from '../../worker/index.js';

export interface NonceStore {
  /** True the first time a nonce is seen; false on a replay. Bound: safe to pass as a callback. */
  markUsed: (nonce: string) => Promise<boolean>;
}

/**
 * @param prefix the queue prefix (`redis.prefix`, e.g. `bull` or `{stetpay}`)
 * @param ttlDays days a used nonce is kept; longer than the links live (35). @defaultValue 40
 */
export function redisNonceStore(redis: RedisClient, prefix: string, ttlDays = 40): NonceStore {
  const ttl = Math.round(ttlDays * 86_400);
  return {
    markUsed: async (nonce: string) => (await redis.set(`${prefix}:stetpay:consent-nonce:${nonce}`, '1', 'EX', ttl, 'NX')) === 'OK',
  };
}
