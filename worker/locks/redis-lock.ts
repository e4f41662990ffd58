/**
 * A named lock in Redis for work that must not run twice at once (the run,
 * the pain.001 export): SET NX with a time-to-live, renewed while the work
 * goes on (a crashed holder frees it when the ttl ends), released only by its
 * holder. The value says who holds it, for the message the second one gets.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { RedisClient } from '../connection.js';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** Who holds a lock: `host:pid` and since when (ISO). */
export interface LockHolder {
  by: string;
  since: string;
}

export interface RedisLockOptions {
  /** @defaultValue 60_000 */
  ttlMs?: number;
  /** The error to throw when another holds the lock. */
  held: (holder: LockHolder | null) => Error;
}

export function lockKey(prefix: string, name: string): string {
  return `${prefix}:stetpay:${name}-lock`;
}

/** Runs `fn` holding the lock `key`. @throws `opts.held(...)` when another holds it. */
export async function withRedisLock<T>(redis: RedisClient, key: string, fn: () => Promise<T>, opts: RedisLockOptions): Promise<T> {
  const ttlMs = opts.ttlMs ?? 60_000;
  const value = JSON.stringify({ token: randomUUID(), by: `${hostname()}:${process.pid}`, since: new Date().toISOString() });
  if ((await redis.set(key, value, 'PX', ttlMs, 'NX')) !== 'OK') throw opts.held(holderOf(await redis.get(key)));
  const renew = setInterval(() => void redis.eval(RENEW, 1, key, value, ttlMs).catch(() => undefined), Math.max(100, Math.floor(ttlMs / 3)));
  renew.unref();
  try {
    return await fn();
  } finally {
    clearInterval(renew);
    await redis.eval(RELEASE, 1, key, value).catch(() => undefined);
  }
}

function holderOf(raw: string | null): LockHolder | null {
  try {
    const v = JSON.parse(raw ?? '') as Partial<LockHolder>;
    return typeof v.by === 'string' && typeof v.since === 'string' ? { by: v.by, since: v.since } : null;
  } catch {
    return null;
  }
}
