/**
 * The status stetpay records on a bill (`x_stet_status`), as the design names them.
 * The raw STET code goes separately in `x_stet_bank_status`.
 */
export const BILL_STATUSES = [
  'queued', // ids reserved in Odoo, job queued, not yet sent
  'submitted', // the bank has the request; waiting for the signatory's consent
  'accepted', // ACTC/ACCP/ACSP/PDNG and the like: consent given, not yet executed
  'executed', // ACSC
  'rejected', // RJCT (by the bank, or refused by the signatory)
  'cancelled', // CANC
  'invalid', // never sent: failed validation; reasons in x_stet_status_reason
  'needs_review', // fate unknown: a person must look (never guessed)
  'expired', // the bank's 35-day retention ended before a final status
  'exported', // sent through the pain.001 fallback file instead of the API
  'withdrawn', // never sent: the bill changed (or lost its approval) after its ids were reserved; its ids are retired
  'held', // not sent yet, no ids reserved: a person must act (the reason says what); every run looks again
] as const;
export type BillStatus = (typeof BILL_STATUSES)[number];

/** Statuses after which stetpay never touches the payment again on its own. */
export const FINAL_STATUSES = ['executed', 'rejected', 'cancelled', 'expired', 'invalid', 'exported', 'withdrawn'] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];

export function isFinalStatus(s: string | false | null | undefined): s is FinalStatus {
  return (FINAL_STATUSES as readonly string[]).includes(s as string);
}

/**
 * Statuses the run takes (again): none yet, or `held`. A hold reserves no ids,
 * so the next run re-evaluates the bill and pays it once the hold is resolved.
 */
export function isOpenForRun(s: string | false | null | undefined): boolean {
  return !s || s === 'held';
}
