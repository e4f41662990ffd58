/**
 * The hash tag of a key prefix by Redis Cluster's rule (the text between the
 * first `{` and the next `}`, when not empty), or undefined. Every key stetpay
 * makes starts with the prefix, so with a tag they all hash to that tag's one
 * slot. No import: the config checks it without loading Redis.
 */
export function hashTagOf(prefix: string): string | undefined {
  const open = prefix.indexOf('{');
  const close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
  return close > open + 1 ? prefix.slice(open + 1, close) : undefined;
}
