import type { BillStatus, BillUpdate } from '../../connector/model/index.js';

/** One pending write-back. */
export interface WritebackItem {
  update: BillUpdate;
  /**
   * Write only if the bill's current `x_stet_status` is one of these (a replay
   * from the ledger must never move a bill backwards). Absent: always write.
   */
  onlyIfStatus?: BillStatus[];
}

/** An update Odoo refused for good, in the dead-letter list (`<prefix>:stetpay-writeback:dead`). */
export interface DeadLetter {
  item: WritebackItem;
  /** What Odoo said, e.g. `... Unknown database identifier '42' ...`. */
  error: string;
  /** ISO 8601 UTC: when it was set aside. */
  at: string;
}

/** Options of {@link WritebackDrainer}. */
export interface WritebackDrainerOptions {
  /** Same prefix as the queues. @defaultValue 'bull' */
  prefix?: string;
  /** List items written per drain (one `load` per field set, one note create). @defaultValue 500 */
  batchSize?: number;
  /** Ms to wait for a batch to fill before writing a smaller one. @defaultValue 500 */
  maxDelayMs?: number;
  /** Ms between checks of an empty list. @defaultValue 200 */
  pollMs?: number;
  /** First back-off after a failed Odoo write, ms; doubles up to `maxRetryDelayMs`. @defaultValue 1000 */
  retryDelayMs?: number;
  /** @defaultValue 30000 */
  maxRetryDelayMs?: number;
  /** Ms the drain lock lives (one drainer at a time keeps updates in order); renewed every third of it while a drain runs. @defaultValue 60000 */
  lockTtlMs?: number;
  /**
   * Told of each failed write (the items stay queued), and of bills set aside
   * in the dead-letter list (a `WritebackDeadLetterError`: the rest was written).
   */
  onError?: (err: unknown, pending: number) => void;
}
