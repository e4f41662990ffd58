/**
 * The sandbox's own types (it imports nothing from connector/, so that client and
 * sandbox cannot agree by sharing a bug).
 */
import type { SandboxProfile } from './bank-rules.js';
import type { TestCertificates } from './certs.js';

export type { SandboxProfile } from './bank-rules.js';

/** Faults to inject. Rates are shares between 0 and 1, drawn from a seeded PRNG. */
export interface BankFaults {
  /** Added before every API answer (token and payment paths). @defaultValue 0 */
  latencyMs?: number;
  /** Share of API calls answered 500 (generic). @defaultValue 0 */
  error500Rate?: number;
  /** Share of API calls answered 503. @defaultValue 0 */
  error503Rate?: number;
  /** Share of API calls whose socket is destroyed without an answer (nothing recorded). @defaultValue 0 */
  dropRate?: number;
  /** Share of POST /payment-requests that are recorded, then the socket destroyed before the answer. @defaultValue 0 */
  recordThenDropRate?: number;
  /** The next API answers, in order, overriding the rates: each is consumed by one call. */
  script?: ScriptedFault[];
  /** Seed of the PRNG behind the rates (same seed, same draws). @defaultValue 1 */
  seed?: number;
  /**
   * The API gateway is down: every token and API call answers 503, while the
   * guide's fallback (a token request with `fallback: 1`) still answers, as the
   * guide says it always does. @defaultValue false
   */
  outage?: boolean;
}

/**
 * 401: the presented token is revoked and the call answered `401` with
 * `WWW-Authenticate: Bearer error="invalid_token"` (a generic STET gateway; NWM's
 * guide documents 400 "Invalid Token" for an expired token and 403 for a bad one).
 */
export type ScriptedFault = 'pass' | 'drop' | 'recordThenDrop' | 500 | 503 | 429 | 401;

export interface BankSandboxOptions {
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** HTTPS port for the token, API and consent pages; 0 picks a free one. @defaultValue 0 */
  port?: number;
  /** Plain-HTTP admin port; 0 picks a free one. @defaultValue 0 */
  adminPort?: number;
  /**
   * Address of the admin API, whatever `host` is: it has no authentication and can approve
   * consents and move the clock, so only loopback unless set. @defaultValue '127.0.0.1'
   */
  adminHost?: string;
  /** @defaultValue 'nwm-18919' */
  profile?: SandboxProfile;
  /** Where the test certificates are made or reused. @defaultValue a new temporary folder */
  certsDir?: string;
  /** Organisation identifier of the generated QWAC/QSealC. @defaultValue 'PSDFR-ACPR-12345' */
  organisationId?: string;
  /** Access-token lifetime on the sandbox clock (NWM-22: at most 180 days). @defaultValue 15552000 (180 days) */
  tokenLifetimeSeconds?: number;
  /** A payment with no consent after this long (sandbox clock) becomes RJCT NOAS. @defaultValue nwm-18919: 900000 (15 min); stet-1.6: 86400000 (a day) */
  consentTimeoutMs?: number;
  /** 'approve': approve every payment at once after its POST (the demo). @defaultValue 'off' */
  autoConsent?: 'off' | 'approve';
  /** With autoConsent 'approve', GET the successfulReportUrl as the PSU's browser would after the redirect. @defaultValue true */
  autoConsentCallback?: boolean;
  /** NWM-17: creditor IBANs registered as beneficiaries, or 'any'. @defaultValue 'any' */
  registeredBeneficiaries?: string[] | 'any';
  /** NWM-18: debtor IBANs that are cash accounts, or 'any'. @defaultValue 'any' */
  cashAccounts?: string[] | 'any';
  /**
   * Creditor IBANs whose transfers the bank rejects once the request is accepted
   * for execution (RJCT, reason AC04: account closed): in a request of several
   * transfers the others go on (the request shows PART). @defaultValue none
   */
  rejectedCreditorIbans?: string[];
  /** Rate limit over the API and token paths, requests per second; 0 or undefined = no limit. @defaultValue undefined */
  requestsPerSecond?: number;
  /** Faults active from the start. @defaultValue none */
  faults?: BankFaults;
  /** Extra QSealC PEM certificates trusted for signatures (the generated one is always trusted). @defaultValue [] */
  qsealCertificates?: string[];
  /** Where the sandbox clock starts. @defaultValue the real time */
  startTime?: Date;
}

export interface RequestLogEntry {
  /** ISO time on the sandbox clock. */
  at: string;
  method: string;
  path: string;
  status: number | 'dropped';
  paymentInformationId?: string;
  requestId?: string;
  /** Serial number of the TLS connection it came on (1, 2, ... since start): equal numbers = one kept-alive connection. */
  connection: number;
  /** The header list of the request's Signature, once it verified (lowercase, in signing order). */
  signedHeaders?: string[];
  /** A fallback request (token path with the header `fallback: 1`). */
  fallback?: true;
}

export interface SandboxTransaction {
  resourceId: string;
  instructionId: string;
  endToEndId?: string;
  transactionStatus: string;
  amount: string;
  currency: string;
  creditorName: string;
  creditorIban?: string;
  requestedExecutionDate?: string;
  /** yyyy-MM-dd, Europe/Paris, moved to the next TARGET business day (NWM-06). */
  appliedExecutionDate: string;
  /** This transfer's own reason, when it alone was rejected. */
  statusReasonInformation?: string;
}

export interface SandboxPayment {
  resourceId: string;
  paymentInformationId: string;
  paymentInformationStatus: string;
  statusReasonInformation?: string;
  createdAt: string;
  consentAt?: string;
  confirmedAt?: string;
  debtorName?: string;
  debtorIban?: string;
  successfulReportUrl: string;
  unsuccessfulReportUrl?: string;
  transactions: SandboxTransaction[];
  /** The body as posted, returned (enriched) by GET. */
  resource: Record<string, unknown>;
}

export interface RunningBankSandbox {
  /** e.g. https://127.0.0.1:P/stet/psd2/v1.6.2 */
  apiBaseUrl: string;
  /** e.g. https://127.0.0.1:P/stet/psd2/oauth/token */
  tokenUrl: string;
  /** e.g. http://127.0.0.1:A */
  adminUrl: string;
  certs: TestCertificates;
  profile: SandboxProfile;
  /** 'official' when bodies are checked against the STET file beside the repo, 'extract' for the committed copy. */
  schemaSource: 'official' | 'extract';
  /** Replaces the faults (pass {} to clear). */
  setFaults(f: BankFaults): void;
  /** Replaces the creditor IBANs whose transfers the bank rejects once it accepts a request for execution (RJCT AC04; PART for a request of several). */
  setRejectedCreditors(ibans: string[]): void;
  /** Moves the sandbox clock forward; returns the new time. */
  advanceClock(ms: number): Date;
  now(): Date;
  /** Approves or refuses a payment's consent as its PSU would; returns the report URL the browser would be sent to. */
  consent(resourceId: string, approve: boolean): string;
  requests(): RequestLogEntry[];
  payments(): SandboxPayment[];
  /** Forgets payments, tokens, log and faults; the clock goes back to its start. */
  reset(): void;
  close(): Promise<void>;
}
