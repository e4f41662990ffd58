/**
 * The sentence written on a bill the bank rejected or cancelled: what
 * happened in a clerk's words, the bank's codes for support, and what to do.
 * Pure; the ISO 20022 reason codes are the ones STET banks send in
 * `statusReasonInformation`.
 */

/** What each common reason code means, as a clause after "because". */
const REASON_TEXT: Record<string, string> = {
  CUST: 'the signatory refused it at the bank',
  NOAS: 'nobody approved it at the bank in time',
  AM04: 'the account does not have enough funds',
  AM05: 'the bank saw it as a duplicate',
  DUPL: 'the bank saw it as a duplicate',
  AC01: 'the beneficiary account number is wrong',
  AC04: 'the beneficiary account is closed',
  AC06: 'an account is blocked',
  AG01: 'the bank does not allow this payment on this account',
  BE05: 'the bank does not recognise the payer',
  DS02: 'it was cancelled by the payer',
  FRAD: 'the bank suspects fraud',
  TECH: 'of a technical problem at the bank',
  MS02: 'of a reason the bank did not give',
  MS03: 'of a reason the bank did not give',
  RR04: 'of a regulatory reason',
};

/**
 * @param status `rejected` or `cancelled`
 * @param code the STET status code recorded (RJCT, CANC)
 * @param reasonCode `statusReasonInformation`, when the bank gave one
 * @param paymentRef the end-to-end id (what online banking shows)
 * @param billName the bill number, for the retry command
 */
export function finalStatusReason(status: 'rejected' | 'cancelled', code: string | null, reasonCode: string | undefined, paymentRef: string | null, billName?: string): string {
  const what = reasonCode ? REASON_TEXT[reasonCode] : undefined;
  const codes = `bank status ${code ?? 'none'}${reasonCode ? `, reason ${reasonCode}` : ''}`;
  const payment = paymentRef ? `payment ${paymentRef}` : 'the payment';
  const retry = `run stetpay retry ${billName ?? 'with the bill number'} and the next run sends it again`;
  if (status === 'cancelled') {
    return `The bank cancelled ${payment}${what ? ` because ${what}` : ''} (${codes}). Nothing was paid; to pay this bill, ${retry}.`;
  }
  return `The bank did not execute ${payment}${what ? ` because ${what}` : ''} (${codes}). Nothing was paid; to pay this bill, ${retry}, or pay it another way.`;
}
