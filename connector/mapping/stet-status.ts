import type { BillStatus } from '../model/index.js';

/** STET codes that end a payment's life at the bank. */
export const STET_FINAL_CODES = ['ACSC', 'RJCT', 'CANC'] as const;

/** Received or pending: before consent they mean `submitted`, after it `accepted`. */
const EARLY = new Set(['RCVD', 'PDNG', 'ACTC']);
/** Accepted in some way, not yet executed (STET 1.6 §6, ACSP: "treat as accepted"). */
const ACCEPTED = new Set(['ACCP', 'ACCO', 'ACSP', 'ACWC', 'ACWP', 'PART']);

/** Options of {@link billStatusFromStet}. */
export interface StetStatusOptions {
  /**
   * The signatory already gave consent (the bill shows `accepted`, or the
   * callback said so): RCVD/PDNG/ACTC then mean `accepted`. @defaultValue false
   */
  consentGiven?: boolean;
}

/** True for every code this mapping knows. */
export function isKnownStetStatus(code: string | undefined | null): boolean {
  if (!code) return false;
  const c = code.toUpperCase();
  return EARLY.has(c) || ACCEPTED.has(c) || (STET_FINAL_CODES as readonly string[]).includes(c);
}

/**
 * The bill status for the bank's payment-level and transaction-level codes
 * (a single transfer: the more advanced of the two decides; a rejection or
 * cancellation at either level wins). Returns null when no code is known:
 * the caller keeps the bill's status and flags the unknown code.
 */
export function billStatusFromStet(
  paymentInformationStatus: string | undefined | null,
  transactionStatus?: string | null,
  opts: StetStatusOptions = {},
): BillStatus | null {
  const codes = [paymentInformationStatus, transactionStatus].filter((c): c is string => !!c).map((c) => c.toUpperCase());
  if (codes.includes('RJCT')) return 'rejected';
  if (codes.includes('CANC')) return 'cancelled';
  if (codes.includes('ACSC')) return 'executed';
  if (codes.some((c) => ACCEPTED.has(c))) return 'accepted';
  if (codes.some((c) => EARLY.has(c))) return opts.consentGiven ? 'accepted' : 'submitted';
  return null;
}

/** The raw code to record in `x_stet_bank_status`: the transaction's when final, else the payment's. */
export function bankStatusCode(paymentInformationStatus: string | undefined | null, transactionStatus?: string | null): string | null {
  const t = transactionStatus?.toUpperCase();
  if (t && (STET_FINAL_CODES as readonly string[]).includes(t)) return t;
  return paymentInformationStatus?.toUpperCase() ?? t ?? null;
}
