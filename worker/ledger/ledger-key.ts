/** The ledger hash of one payment, under the queues' prefix. */
export function ledgerKey(prefix: string, paymentInformationId: string): string {
  return `${prefix}:stetpay:ledger:${paymentInformationId}`;
}
