import type { PaymentRequestResource } from '../../connector/model/index.js';

/** Per-call options: the job's AbortSignal, so a lost lock aborts the bank call. */
export interface BankCallOptions {
  signal?: AbortSignal;
}

/** What the bank said to a payment request POST (201). */
export interface BankCreateResult {
  /** The bank's id for the payment request (from `Location`), when given. */
  resourceId?: string;
  /** The STET REDIRECT consent link (`_links.consentApproval.href`). */
  consentUrl?: string;
  /** The X-Request-ID stetpay sent: quote it to the bank's support. */
  requestId: string;
  /** HTTP status (201). */
  status: number;
}

/** What the bank says about a payment request on GET. */
export interface BankPaymentStatus {
  paymentInformationStatus?: string;
  transactionStatus?: string;
  statusReasonInformation?: string;
  /** YYYY-MM-DD, when the bank gave it. */
  appliedExecutionDate?: string;
  /** The bank offers the STET confirmation call (`_links.confirmation`): after consent (ACCP) it waits for it. */
  confirmationLink?: boolean;
  /** Each transfer of a request of several, by end-to-end id (its own status, reason and execution date). */
  transactions?: BankTransactionStatus[];
}

/** One transfer's status in a request of several. */
export interface BankTransactionStatus {
  endToEndId?: string;
  transactionStatus?: string;
  statusReasonInformation?: string;
  /** YYYY-MM-DD */
  appliedExecutionDate?: string;
}

/**
 * The narrow part of the bank the workers need. Failures arrive as the error
 * classes of `connector/stet/errors/bank-error.ts`. The real STET client fits
 * through `worker/adapters/stet-bank-port.ts`.
 */
export interface BankPort {
  createPaymentRequest(resource: PaymentRequestResource, opts: BankCallOptions): Promise<BankCreateResult>;
  getPaymentRequest(resourceId: string, opts: BankCallOptions): Promise<BankPaymentStatus>;
  /** Only for banks whose profile needs the STET confirmation call (not NWM). */
  confirmPaymentRequest?(resourceId: string, opts: BankCallOptions): Promise<BankPaymentStatus>;
}
