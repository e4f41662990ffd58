/**
 * What the schema cannot say about the `redis` section: on a Redis Cluster the
 * prefix must carry a `{hash-tag}` (BullMQ's multi-key scripts get CROSSSLOT
 * otherwise), and seed nodes only make sense on a cluster.
 */
import { hashTagOf } from '../../worker/hash-tag.js';
import { fromVariable } from './format-problems.js';

export function redisClusterProblems(redis: unknown, sources: ReadonlyMap<string, string>): string[] {
  if (typeof redis !== 'object' || redis === null) return [];
  const { cluster, prefix, nodes } = redis as { cluster?: unknown; prefix?: unknown; nodes?: unknown };
  if (cluster !== true) {
    return nodes === undefined
      ? []
      : [`config: redis.nodes is read only when redis.cluster is true: set redis.cluster (STETPAY_REDIS_CLUSTER=1) or remove redis.nodes${fromVariable('redis.nodes', sources)}`];
  }
  if (typeof prefix !== 'string' || hashTagOf(prefix) !== undefined) return []; // a wrong type is the schema's to report
  return [
    `config: redis.prefix must carry a hash tag such as {stetpay} when redis.cluster is true, so all of stetpay's keys share one cluster slot (got '${prefix}')` +
      fromVariable('redis.prefix', sources),
  ];
}
