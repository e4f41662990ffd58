/**
 * One export at a time per Redis: between "not exported yet?" and "mark it
 * exported", a second export must not put the same bill in another file.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { CommandFailure } from '../cli-args.js';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export function exportLockKey(prefix: string): string {
  return `${prefix}:stetpay:export-lock`;
}

/** Runs `fn` holding the lock. @throws CommandFailure when another export holds it. */
export async function withExportLock<T>(redis: Redis, prefix: string, fn: () => Promise<T>, ttlMs = 10 * 60_000): Promise<T> {
  const key = exportLockKey(prefix);
  const token = randomUUID();
  const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') throw new CommandFailure('another stetpay export is running: wait for it to end, then run this one again (nothing was changed)');
  try {
    return await fn();
  } finally {
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}
