/** The four queues. Names hold no ':' (BullMQ rejects it); the prefix carries any hash tag. */
export const QUEUE_NAMES = {
  submit: 'stetpay-submit',
  writeback: 'stetpay-writeback',
  sync: 'stetpay-sync',
  run: 'stetpay-run',
} as const;
export type QueueRole = keyof typeof QUEUE_NAMES;

export const DEFAULT_PREFIX = 'bull';

/** Checks a prefix: a Cluster needs `{tag}` somewhere in it for multi-key scripts. */
export function checkPrefix(prefix: string): string {
  if (!prefix || /\s/.test(prefix)) throw new Error(`stetpay: queue prefix "${prefix}" is not valid: use e.g. "bull" or "{stetpay}"`);
  return prefix;
}
