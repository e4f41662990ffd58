import { isClusterConnection, type RedisConnectionOption } from './connection.js';
import { hashTagOf } from './hash-tag.js';

/**
 * The queues. Names hold no ':' (BullMQ rejects it); the prefix carries any
 * hash tag. `signatory` holds the payments reserved for the signatory
 * (`on-signatory` mode): no worker takes them; each is POSTed when the
 * signatory opens it on the signatory's page.
 */
export const QUEUE_NAMES = {
  submit: 'stetpay-submit',
  signatory: 'stetpay-signatory',
  writeback: 'stetpay-writeback',
  sync: 'stetpay-sync',
  run: 'stetpay-run',
} as const;
export type QueueRole = keyof typeof QUEUE_NAMES;

export const DEFAULT_PREFIX = 'bull';

/**
 * Checks a prefix. On a Redis Cluster it must carry a `{hash-tag}`: BullMQ's
 * scripts and the write-back's touch several keys at once, which a cluster
 * refuses (CROSSSLOT) unless they share a slot.
 */
export function checkPrefix(prefix: string, cluster = false): string {
  if (!prefix || /\s/.test(prefix)) throw new Error(`stetpay: queue prefix "${prefix}" is not valid: use e.g. "bull" or "{stetpay}"`);
  if (cluster && hashTagOf(prefix) === undefined) {
    throw new Error(`stetpay: queue prefix "${prefix}" has no hash tag: on Redis Cluster use one such as "{stetpay}" (redis.prefix, STETPAY_REDIS_PREFIX), else Redis refuses BullMQ's scripts (CROSSSLOT)`);
  }
  return prefix;
}

/** Where the queues live. Shared by every queue, worker and the ledger. */
export interface StetpayQueueOptions {
  /**
   * Redis: a `redis://` URL, a `RedisTarget` (`{ url, cluster: true }`
   * for a Redis Cluster: the config's `redis` section fits), or an ioredis
   * `Redis` or `Cluster` instance (its owner closes it).
   * Workers get their own connections with `maxRetriesPerRequest: null`;
   * producers fail fast (`enableOfflineQueue: false`).
   */
  connection: RedisConnectionOption;
  /**
   * BullMQ key prefix (never ioredis `keyPrefix`). On Redis Cluster it must
   * carry a hash tag such as `{stetpay}` (checked) so every key of the queues,
   * the ledger and the write-back lands on one slot.
   * @defaultValue 'bull'
   */
  prefix?: string;
}

/** The checked prefix of these options (the default when unset; a hash tag required on a cluster). */
export function queuePrefix(opts: StetpayQueueOptions): string {
  return checkPrefix(opts.prefix ?? DEFAULT_PREFIX, isClusterConnection(opts.connection));
}
