/** The three SEPA ids of one payment attempt; deterministic per (database, bill, attempt). */
export interface PaymentIds {
  paymentInformationId: string;
  instructionId: string;
  endToEndId: string;
}
