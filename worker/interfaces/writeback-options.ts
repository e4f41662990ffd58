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
  /**
   * Most list items written per drain (one `load` per field set, one note create): the size a fast
   * Odoo gets; a slower one gets smaller batches (`targetBatchMs`). @defaultValue 500
   */
  batchSize?: number;
  /**
   * What one batch's write should take, ms: the next batch is sized from the time the last took
   * (`nextBatchSize`). A real Odoo 17 took up to 8.3 s for a 500-row `load`, blocking one of its
   * workers and nearing its time-outs; 2 s keeps each call short while the batches stay large
   * enough that the calls per bill stay low (P6). @defaultValue 2000
   */
  targetBatchMs?: number;
  /** Fewest list items a batch, however slow Odoo is (below it each call's fixed cost dominates). @defaultValue 20 */
  minBatchSize?: number;
  /** The clock write times are read from, ms (tests give a fake one). @defaultValue performance.now */
  now?: () => number;
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
