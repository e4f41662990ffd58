/**
 * The doctor's Redis checks: reachable, version 6.2 or later (BullMQ 6),
 * `maxmemory-policy noeviction` (an evicted ledger entry is a lost guard),
 * append-only persistence (the ledger must survive a restart), and the two
 * schedules `stetpay schedule` stores (the nightly run, the status sync).
 */
import { Queue } from 'bullmq';
import { createRedisConnection, NIGHTLY_SCHEDULER_ID, QUEUE_NAMES, SYNC_SCHEDULER_ID, whenReady, type RedisClient } from '../../worker/index.js';
import type { RedisConfig } from '../config/index.js';
import { fail, ok, skip, type DoctorCheck } from './doctor-report.js';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).replace(/^stetpay: /, '');

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

/** `field:value` lines of an INFO section. */
export function infoField(info: string, field: string): string | undefined {
  return new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

/** True when `version` (x.y.z) is at least `min`. */
export function versionAtLeast(version: string, min: [number, number]): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > min[0] || (major === min[0] && minor >= min[1]);
}

/** Managed Redis services often refuse CONFIG: INFO memory says the policy too. */
async function evictionPolicy(redis: RedisClient): Promise<string | undefined> {
  try {
    const pair = (await redis.call('CONFIG', 'GET', 'maxmemory-policy')) as string[];
    if (pair[1]) return pair[1];
  } catch { /* CONFIG disabled: ask INFO */ }
  return infoField(await redis.info('memory'), 'maxmemory_policy');
}

export async function redisChecks(target: Readonly<RedisConfig>): Promise<DoctorCheck[]> {
  const redis = createRedisConnection(target, 'producer');
  try {
    try {
      await whenReady(redis);
    } catch (err) {
      const why = 'Redis could not be reached.';
      // The message is `<what> (<code>): <what to do>`.
      const [what, todo] = splitOnce(message(err), ': ');
      return [fail('redis.reachable', `${what}.`, todo ? `${todo}.` : 'start redis-server, or correct redis.url (STETPAY_REDIS_URL).'), ...['redis.version', 'redis.eviction', 'redis.persistence', 'schedules'].map((id) => skip(id, why))];
    }
    const checks = [ok('redis.reachable', 'Redis answers.')];
    const version = infoField(await redis.info('server'), 'redis_version') ?? '?';
    checks.push(versionAtLeast(version, [6, 2])
      ? ok('redis.version', `Redis ${version} (6.2 or later).`)
      : fail('redis.version', `Redis ${version} is too old: BullMQ needs 6.2 or later.`, 'upgrade Redis to 6.2 or later.'));
    const policy = await evictionPolicy(redis);
    checks.push(policy === 'noeviction'
      ? ok('redis.eviction', 'maxmemory-policy is noeviction.')
      : fail('redis.eviction', `maxmemory-policy is ${policy ?? 'unknown'}: Redis may evict the ledger that stops a payment being sent twice.`, 'set maxmemory-policy noeviction in redis.conf (CONFIG SET maxmemory-policy noeviction, then CONFIG REWRITE).'));
    const aof = infoField(await redis.info('persistence'), 'aof_enabled');
    checks.push(aof === '1'
      ? ok('redis.persistence', 'append-only file on.')
      : fail('redis.persistence', 'append-only file off: a restart of Redis would lose the ledger and the queues written since the last snapshot.', 'set appendonly yes and appendfsync everysec in redis.conf (CONFIG SET appendonly yes, then CONFIG REWRITE).'));
    checks.push(await schedulesCheck(redis, target.prefix));
    return checks;
  } finally {
    redis.disconnect();
  }
}

async function schedulesCheck(redis: RedisClient, prefix: string): Promise<DoctorCheck> {
  // BullMQ's own version and eviction warnings would repeat the lines above on stderr: the doctor says them itself.
  const opts = { connection: redis, prefix, skipVersionCheck: true };
  const queues = { run: new Queue(QUEUE_NAMES.run, opts), sync: new Queue(QUEUE_NAMES.sync, opts) };
  try {
    const [nightly, sync] = await Promise.all([queues.run.getJobScheduler(NIGHTLY_SCHEDULER_ID), queues.sync.getJobScheduler(SYNC_SCHEDULER_ID)]);
    const missing = [!nightly && 'the nightly run', !sync && 'the status sync'].filter(Boolean);
    if (missing.length) {
      return fail('schedules', `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not scheduled in Redis (prefix ${prefix}).`, 'run stetpay schedule once (a deploy step), with the same redis.url and redis.prefix as the workers.');
    }
    const next = nightly!.next ? `, next at ${new Date(nightly!.next).toISOString().replace(/\.\d+Z$/, 'Z')}` : '';
    const every = sync!.every ? ` every ${Math.round(sync!.every / 60_000)} min` : '';
    return ok('schedules', `nightly run '${nightly!.pattern ?? '?'}' (${nightly!.tz ?? 'UTC'})${next}; status sync${every}.`);
  } finally {
    await Promise.all([queues.run.close(), queues.sync.close()]);
  }
}
