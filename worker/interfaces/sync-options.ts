/** Options of `syncStatuses`. */
export interface SyncOptions {
  /** GETs in flight at once. @defaultValue 4 */
  concurrency?: number;
  /** Days the bank keeps a payment request; a 404 after that means `expired`. @defaultValue 35 */
  bankRetentionDays?: number;
  /** Only these bills (the consent callback checks one at once). */
  billIds?: number[];
  /** Journal to register executed payments in (else Odoo's default for the bill). */
  journalId?: number;
  /** Tries of one GET on 429 (waiting Retry-After each time). @defaultValue 5 */
  rateLimitTries?: number;
  /** GETs per second this sync may send (a share of the bank's limit, so payments keep theirs); unset = unpaced. */
  requestsPerSecond?: number;
  /**
   * The bank waits for the STET confirmation call after consent (profile
   * `requiresConfirmation`): a payment it shows consented (ACCP) with a
   * confirmation link is confirmed by the sync, so a missed one is retried by
   * the next. @defaultValue false
   */
  confirm?: boolean;
  /**
   * The bank's consent window: a payment still waiting for consent whose
   * window ends soon (`consentSoonMs`) is flagged in its reason, once.
   * Absent: not flagged.
   */
  consent?: { windowMs: number; timeZone: string };
  /**
   * The paying company's zone (`payments.timeZone`): the day a payment executed without the bank's
   * `appliedExecutionDate` is registered on is today there. @defaultValue 'Europe/Paris'
   */
  timeZone?: string;
  /** Clock, for tests. @defaultValue Date.now */
  now?: () => number;
  log?: (event: string, fields: Record<string, unknown>) => void;
}
