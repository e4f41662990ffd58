/**
 * One export at a time per Redis: between "not exported yet?" and "mark it
 * exported", a second export must not put the same bill in another file.
 */
import { lockKey, withRedisLock, type RedisClient } from '../../worker/index.js';
import { CommandFailure } from '../errors.js';

export function exportLockKey(prefix: string): string {
  return lockKey(prefix, 'export');
}

/** Runs `fn` holding the lock. @throws CommandFailure when another export holds it. */
export async function withExportLock<T>(redis: RedisClient, prefix: string, fn: () => Promise<T>, ttlMs = 10 * 60_000): Promise<T> {
  return withRedisLock(redis, exportLockKey(prefix), fn, {
    ttlMs,
    held: (h) => new CommandFailure(`another stetpay export is running${h ? ` (${h.by}, since ${h.since})` : ''}: wait for it to end, then run this one again (nothing was changed)`),
  });
}
