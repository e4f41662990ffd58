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

/** Errors that waiting longer will not cure: nothing listens, no such host, no route, a wrong password. */
const FAIL_AT_ONCE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);
const WHERE = 'redis.url (STETPAY_REDIS_URL)';

/** host:port of the connection, never its password. */
function addressOf(redis: RedisClient): string {
  if (isClusterClient(redis)) {
    const node = (redis as unknown as { startupNodes?: Array<{ host?: string; port?: number } | string> }).startupNodes?.[0];
    return typeof node === 'string' ? node.replace(/\/\/[^@/]*@/, '//') : `${node?.host ?? '?'}:${node?.port ?? 6379}`;
  }
  return `${redis.options.host ?? 'localhost'}:${redis.options.port ?? 6379}`;
}

/** The one-line reason of a connection error that will not heal by waiting, or undefined. */
export function redisConnectFailure(err: unknown, address: string): string | undefined {
  const e = err as { code?: unknown; message?: unknown; lastNodeError?: { code?: unknown; message?: unknown } };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.lastNodeError?.code === 'string' ? e.lastNodeError.code : undefined;
  const message = String(e?.lastNodeError?.message ?? e?.message ?? '');
  if (/^NOAUTH/.test(message)) return `stetpay: Redis at ${address} asks for a password (NOAUTH): put it in ${WHERE}, e.g. redis://:PASSWORD@host:6379`;
  if (/^(WRONGPASS|ERR AUTH|ERR invalid password)/.test(message)) {
    return `stetpay: Redis at ${address} refused the user or password (${message.split('\n')[0]}): correct them in ${WHERE}`;
  }
  if (code === undefined || !FAIL_AT_ONCE.has(code)) return undefined;
  if (code === 'ECONNREFUSED') return `stetpay: Redis at ${address} refused the connection (ECONNREFUSED): start redis-server there, or correct ${WHERE}`;
  if (code === 'ENOTFOUND') return `stetpay: no host named ${address.replace(/:\d+$/, '')} for Redis (ENOTFOUND): correct ${WHERE}`;
  if (code === 'ECONNRESET') return `stetpay: Redis at ${address} closed the connection at once (ECONNRESET): is it Redis, and does it want TLS (rediss://)? Check ${WHERE}`;
  if (/CERT/.test(code)) return `stetpay: the TLS certificate of Redis at ${address} is not trusted (${code}): check ${WHERE}`;
  return `stetpay: Redis at ${address} cannot be reached (${code}): check the network and ${WHERE}`;
}

/**
 * Waits until the connection is ready (a producer with no offline queue must not
 * send before). A failure that waiting will not cure (refused, no such host, a
 * wrong password) rejects at once with one line; ioredis' own error events are
 * taken while waiting, so none is printed as "Unhandled error event".
 */
export async function whenReady(redis: RedisClient, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  const address = addressOf(redis);
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => {
      cleanup();
      reject(new Error(`stetpay: Redis at ${address} did not answer within ${timeoutMs} ms: check that redis-server runs there, and ${WHERE}`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const onEnd = () => {
      cleanup();
      reject(new Error(`stetpay: the connection to Redis at ${address} closed before it was ready: check ${WHERE}`));
    };
    const onError = (err: unknown) => {
      const failure = redisConnectFailure(err, address);
      if (failure === undefined) return; // ioredis retries; the time-out reports it if it never heals
      // A cluster may still reach another seed node: one node's refusal is not final (a wrong password is).
      if (isClusterClient(redis) && !/NOAUTH|password/.test(failure)) return;
      cleanup();
      reject(new Error(failure));
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
