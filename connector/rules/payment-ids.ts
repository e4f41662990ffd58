/**
 * The three SEPA ids of a payment attempt, deterministic per (database, bill,
 * attempt): a retry re-sends the same ids, so the bank can refuse a duplicate.
 *
 * Form: `SP<kind>-<DB>-<billId>-<attempt>`, e.g. `SPE-K3X9A1-42-1`. Any attempt
 * 0..9 999 999 gives ids; the run numbers a bill's attempts from 1
 * (`x_stet_attempt` 0 means never sent), so attempt 0 is never reserved:
 * - kind `P` paymentInformationId, `I` instructionId, `E` endToEndId; `B` the
 *   paymentInformationId of a request of several transfers, named after its
 *   first bill and that bill's attempt (each transfer keeps its bill's I and E);
 * - DB: 6 base-36 characters of the SHA-256 of the Odoo database name, so two
 *   databases never share ids (the bank dedupes per client, across databases);
 * - readable by an accountant (bill id and attempt in clear), at most 35
 *   characters of the SEPA set, no `:` (they are BullMQ job ids) and never
 *   all digits (BullMQ reserves numeric ids).
 */
import { createHash } from 'node:crypto';

/** The three SEPA ids of one payment attempt; deterministic per (database, bill, attempt). */
export interface PaymentIds {
  paymentInformationId: string;
  instructionId: string;
  endToEndId: string;
}

export type PaymentIdKind = 'P' | 'I' | 'E' | 'B';

export interface ParsedPaymentId {
  kind: PaymentIdKind;
  databaseHash: string;
  billId: number;
  attempt: number;
}

const ID = /^SP([PIEB])-([0-9A-Z]{6})-(\d{1,16})-(\d{1,7})$/;

/** 6 upper-case base-36 characters derived from the database name. */
export function databaseHash(database: string): string {
  const hex = createHash('sha256').update(database, 'utf8').digest('hex');
  return BigInt('0x' + hex.slice(0, 16)).toString(36).toUpperCase().padStart(6, '0').slice(-6);
}

function id(kind: PaymentIdKind, db: string, billId: number, attempt: number): string {
  return `SP${kind}-${db}-${billId}-${attempt}`;
}

/**
 * The ids of attempt `attempt` (0..9 999 999; the run's first is 1) of bill `billId` in `database`.
 * @throws RangeError when billId is not a positive safe integer or attempt not in 0..9 999 999.
 */
export function paymentIds(database: string, billId: number, attempt: number): PaymentIds {
  if (!database) throw new RangeError('the Odoo database name is needed to build payment ids');
  if (!Number.isSafeInteger(billId) || billId < 1) throw new RangeError(`bill id must be a positive integer, got ${billId}`);
  if (!Number.isInteger(attempt) || attempt < 0 || attempt > 9_999_999) throw new RangeError(`attempt must be an integer 0..9999999, got ${attempt}`);
  const db = databaseHash(database);
  return {
    paymentInformationId: id('P', db, billId, attempt),
    instructionId: id('I', db, billId, attempt),
    endToEndId: id('E', db, billId, attempt),
  };
}

/**
 * The paymentInformationId of a request of several transfers whose first bill
 * (in the order sent) is `billId` at `attempt`: deterministic, never a single
 * payment's id (kind B).
 */
export function bulkPaymentId(database: string, billId: number, attempt: number): string {
  return paymentIds(database, billId, attempt).paymentInformationId.replace(/^SPP-/, 'SPB-');
}

/** Reads an id built by {@link paymentIds}; null for any other string. */
export function parsePaymentId(value: string): ParsedPaymentId | null {
  const m = ID.exec(value);
  if (!m) return null;
  return { kind: m[1] as PaymentIdKind, databaseHash: m[2]!, billId: Number(m[3]), attempt: Number(m[4]) };
}
