/** Options of {@link PaymentLedger}. */
export interface LedgerOptions {
  /** Same BullMQ prefix as the queues (keeps ledger and queues on one Cluster slot). @defaultValue 'bull' */
  prefix?: string;
  /**
   * Ms a claim stays live. Must exceed the worst bank call plus the job's lock
   * duration, so a claim is only taken over once its worker is surely gone.
   * @defaultValue 120000
   */
  claimTtlMs?: number;
  /**
   * Ms an entry is kept. The bank keeps a request 35 days; the ledger must
   * remember longer. @defaultValue 3456000000 (40 days)
   */
  ledgerTtlMs?: number;
  /** Clock, for tests. @defaultValue Date.now */
  now?: () => number;
}
