import type { BillStatus } from '../../connector/model/index.js';

/**
 * `sending`: claimed, the bank call may be under way (or its answer was lost);
 * `sent`: the bank answered 201 (resource id known); `final`: decided for good
 * (rejected, needs_review...); `exported`: the pain.001 fallback took it, the
 * API must never send it; `released`: a person confirmed the bank does not
 * have it (stetpay resolve): these ids are never sent, a new attempt may be.
 */
export type LedgerState = 'sending' | 'sent' | 'final' | 'exported' | 'released';

/**
 * Why stetpay cannot tell whether the bank has a payment (kept with a
 * `needs_review` entry, and with a `sending` one the sweeper re-sends), so
 * `stetpay resolve` can name it: `duplicate` the bank said it already has these
 * ids; `no_resource_id` the bank accepted it (201) without a reference;
 * `lost_answer` every try failed and one may have reached it; `refused_resend`
 * it refused a re-send after a try that may have reached it;
 * `changed_after_reservation` the bill changed while a try may have reached it;
 * `no_trace` Redis had no record of it (lost or expired) when it was re-sent;
 * `unproven_content` Odoo holds no request to prove what would be sent.
 */
export type ReviewEvidence = 'duplicate' | 'no_resource_id' | 'lost_answer' | 'refused_resend' | 'changed_after_reservation' | 'no_trace' | 'unproven_content';

/** A payment's ledger hash, small by design (no request body). */
export interface LedgerEntry {
  paymentInformationId: string;
  state: LedgerState;
  /** Token of the current claim ('' when none is live). */
  token: string;
  /** Ms epoch of the current claim; 0 when the claim ended. */
  claimedAt: number;
  /** 1 when some earlier attempt may have reached the bank. */
  uncertain: boolean;
  /** Claims taken so far (each may have POSTed once). */
  claims: number;
  billId?: number;
  endToEndId?: string;
  resourceId?: string;
  consentUrl?: string;
  requestId?: string;
  /** For `final`/`exported`: the bill status decided. */
  status?: BillStatus;
  reason?: string;
  /** What says the bank may have it (a `needs_review` entry, or a `sending` one the sweeper re-sends). */
  evidence?: ReviewEvidence;
  /** Ms epoch the bank accepted the request (201). */
  sentAt?: number;
  updatedAt: number;
}

/** {@link PaymentLedger.claim} result codes (see claimPayment-1.lua). */
export const CLAIM = { FRESH: 1, RESUMED: 2, HELD: 0, DONE: -1 } as const;
export type ClaimCode = (typeof CLAIM)[keyof typeof CLAIM];

/** The ledger hash of one payment, under the queues' prefix. */
export function ledgerKey(prefix: string, paymentInformationId: string): string {
  return `${prefix}:stetpay:ledger:${paymentInformationId}`;
}
