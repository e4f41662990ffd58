import { QUEUE_NAMES } from '../queue-names.js';

export function writebackListKey(prefix: string): string {
  return `${prefix}:${QUEUE_NAMES.writeback}:pending`;
}
export function writebackLockKey(prefix: string): string {
  return `${prefix}:${QUEUE_NAMES.writeback}:lock`;
}
