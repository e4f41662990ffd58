import { Redis, type RedisOptions } from 'ioredis';

/**
 * A connection for Workers: BullMQ requires `maxRetriesPerRequest: null` so
 * blocking calls wait through a Redis restart instead of throwing.
 */
export function createWorkerConnection(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, { ...extra, maxRetriesPerRequest: null });
}

/**
 * A connection for producers (enqueue, ledger reads, schedules): fail fast
 * when Redis is down rather than queue commands in memory.
 */
export function createProducerConnection(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, ...extra, enableOfflineQueue: false });
}

/** Waits until the connection is ready (a producer with no offline queue must not send before). */
export async function whenReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => {
      cleanup();
      reject(new Error(`stetpay: Redis did not answer within ${timeoutMs} ms: check STETPAY_REDIS_URL and that redis-server runs`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const onEnd = () => {
      cleanup();
      reject(new Error('stetpay: the Redis connection closed before it was ready: check STETPAY_REDIS_URL'));
    };
    const cleanup = () => {
      clearTimeout(t);
      redis.off('ready', onReady);
      redis.off('end', onEnd);
    };
    redis.once('ready', onReady);
    redis.once('end', onEnd);
  });
}
