import { QUEUE_NAMES } from '../queue-names.js';

export function writebackListKey(prefix: string): string {
  return `${prefix}:${QUEUE_NAMES.writeback}:pending`;
}
export function writebackLockKey(prefix: string): string {
  return `${prefix}:${QUEUE_NAMES.writeback}:lock`;
}
/** Updates Odoo refused for good (a deleted bill), set aside for an operator (docs/worker.md). */
export function writebackDeadLetterKey(prefix: string): string {
  return `${prefix}:${QUEUE_NAMES.writeback}:dead`;
}
