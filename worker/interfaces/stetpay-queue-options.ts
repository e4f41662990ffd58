import type { Redis } from 'ioredis';

/** Where the queues live. Shared by every queue, worker and the ledger. */
export interface StetpayQueueOptions {
  /**
   * Redis: a `redis://` URL, or an ioredis instance (its owner closes it).
   * Workers get their own connections with `maxRetriesPerRequest: null`;
   * producers fail fast (`enableOfflineQueue: false`).
   */
  connection: string | Redis;
  /**
   * BullMQ key prefix (never ioredis `keyPrefix`). On Redis Cluster use a
   * hash tag such as `{stetpay}` so every key of a queue lands on one slot.
   * @defaultValue 'bull'
   */
  prefix?: string;
}
