import type { RedisConnectionOption } from '../connection.js';

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
