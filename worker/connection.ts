import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/** A connection stetpay uses: one Redis server, or a Redis Cluster (same commands; the Cluster follows MOVED and failovers). */
export type RedisClient = Redis | Cluster;

/** Where Redis is: the `redis` section of the config has this shape. */
export interface RedisTarget {
  /** `redis://` or `rediss://` URL; in cluster mode one seed node (its credentials and TLS serve every node). */
  url: string;
  /** A Redis Cluster: connect with ioredis' Cluster client. @defaultValue false */
  cluster?: boolean;
  /** More seed nodes of the cluster, as URLs (only host and port are read), so a start does not depend on one node being up. */
  nodes?: readonly string[];
}

/** What `connection` options take: a URL, a {@link RedisTarget}, or a client its owner closes. */
export type RedisConnectionOption = string | RedisTarget | RedisClient;

/**
 * - `worker`: for BullMQ Workers, which require `maxRetriesPerRequest: null`
 *   so blocking calls wait through a Redis restart instead of throwing.
 * - `producer`: for enqueue, ledger reads, schedules: fail fast when Redis is
 *   down rather than queue commands in memory.
 */
export type ConnectionRole = 'worker' | 'producer';

export function isRedisClient(c: RedisConnectionOption): c is RedisClient {
  return typeof c === 'object' && typeof (c as RedisClient).duplicate === 'function';
}

/** True for an ioredis Cluster (by its flag, so a Cluster of another ioredis copy counts too). */
export function isClusterClient(c: RedisClient): c is Cluster {
  return (c as Cluster).isCluster === true;
}

/**
 * The one place a Redis connection is made: `new Redis(url)` for one server,
 * `new Cluster(seeds, { redisOptions })` for a cluster, with the role's
 * options either way (on a Cluster they go to every node's connection).
 */
export function createRedisConnection(target: string | RedisTarget, role: ConnectionRole): RedisClient {
  const t = typeof target === 'string' ? { url: target } : target;
  const perNode: RedisOptions = role === 'worker' ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1 };
  const offlineQueue = role === 'worker';
  if (!t.cluster) return new Redis(t.url, { ...perNode, enableOfflineQueue: offlineQueue });
  const seeds = [t.url, ...(t.nodes ?? [])].map(seedNode);
  // Nodes learnt from CLUSTER SLOTS come as host:port only: credentials and TLS must be in redisOptions.
  const options: ClusterOptions = { enableOfflineQueue: offlineQueue, redisOptions: { ...credentialsOf(t.url), ...perNode } };
  return new Cluster(seeds, options);
}

/** True when the connection is, or will be, a Redis Cluster. */
export function isClusterConnection(c: RedisConnectionOption): boolean {
  if (typeof c === 'string') return false;
  return isRedisClient(c) ? isClusterClient(c) : c.cluster === true;
}

/**
 * A Worker's own connection: made from a URL or target (`owns`: quit it on
 * close), or, from a client a caller keeps, a duplicate with
 * `maxRetriesPerRequest: null` (a Cluster's duplicate keeps its seed nodes).
 */
export function workerConnection(c: RedisConnectionOption): { redis: RedisClient; owns: boolean } {
  if (!isRedisClient(c)) return { redis: createRedisConnection(c, 'worker'), owns: true };
  if (isClusterClient(c)) return { redis: c.duplicate(undefined, { redisOptions: { ...c.options.redisOptions, maxRetriesPerRequest: null } }), owns: false };
  return { redis: c.duplicate({ maxRetriesPerRequest: null }), owns: false };
}

function seedNode(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 6379 };
}

function credentialsOf(url: string): Pick<RedisOptions, 'username' | 'password' | 'tls'> {
  const u = new URL(url);
  return {
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** Connection errors that will not go away by waiting: a start-up says so at once instead of after the time-out. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Waits until the connection is ready (a producer with no offline queue must
 * not send before). Fails at once, in one line, when one server refuses or its
 * name does not resolve; else after `timeoutMs`. Meanwhile ioredis' error events
 * are listened to, so none is printed as "Unhandled error event".
 */
export async function whenReady(redis: RedisClient, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  const check = 'check redis.url (STETPAY_REDIS_URL, and STETPAY_REDIS_CLUSTER) and that redis-server runs';
  await new Promise<void>((resolve, reject) => {
    let lastError: string | undefined;
    const t = setTimeout(() => {
      cleanup();
      reject(new Error(`stetpay: Redis did not answer within ${timeoutMs} ms${lastError ? ` (${lastError})` : ''}: ${check}`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const onEnd = () => {
      cleanup();
      reject(new Error(`stetpay: the Redis connection closed before it was ready${lastError ? ` (${lastError})` : ''}: ${check}`));
    };
    const onError = (err: NodeJS.ErrnoException) => {
      lastError = err.code ?? err.message;
      // A cluster may still find another seed node: only one server's refusal is final.
      if (!isClusterClient(redis) && err.code && UNREACHABLE.has(err.code)) {
        cleanup();
        const { host, port } = redis.options;
        reject(new Error(`stetpay: Redis at ${host}:${port} cannot be reached (${err.code}): ${check}`));
      }
    };
    const cleanup = () => {
      clearTimeout(t);
      redis.off('ready', onReady);
      redis.off('end', onEnd);
      redis.off('error', onError);
    };
    redis.once('ready', onReady);
    redis.once('end', onEnd);
    redis.on('error', onError);
  });
}
