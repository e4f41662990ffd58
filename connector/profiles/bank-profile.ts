/**
 * What stetpay must know about a bank to pay through it: plain data. A new
 * bank is a new profile object, not new code paths; the rules and the mapping
 * read every bank-specific choice from here.
 */
export interface BankProfile {
  /** Stable id used in the configuration, e.g. `nwm-18919`. */
  readonly id: string;
  /** Human name, for logs and reports. */
  readonly name: string;
  /** The establishment code (`<cdetab>` in BPCE URLs), when the bank has one. */
  readonly establishmentCode?: string;
  /** `paymentTypeInformation.serviceLevel` (NWM-01). */
  readonly serviceLevel: 'SEPA';
  /** Currencies the bank pays in (NWM-02: EUR only). */
  readonly currencies: readonly string[];
  /** Furthest requested execution date, in days after today (NWM-04: 30). */
  readonly maxDaysAhead: number;
  /** Transfers the bank takes in one payment request (NWM-05: 1); above 1 the run groups a night's payments (`bank.maxTransactionsPerRequest` may lower it). */
  readonly maxTransactionsPerRequest: number;
  /** Whether `localInstrument: INST` (SCT Inst) may be sent (NWM-08: no). */
  readonly instantAllowed: boolean;
  /** Whether the bank waits for `POST /payment-requests/{id}/confirmation` after consent (STET 1.6; NWM: no, 405). */
  readonly requiresConfirmation: boolean;
  /** How a payment is cancelled: `put` (STET §9), or `none`: the bank offers no cancellation (it would answer 405), so stetpay sends none. */
  readonly cancellation: 'none' | 'put';
  /** The status a cancellation PUT carries (1.6: CANC; 1.4 banks: RJCT), with reason DS02. */
  readonly cancellationStatus: 'CANC' | 'RJCT';
  /** `supplementaryData.acceptedAuthenticationApproach` (NWM-11: REDIRECT only). */
  readonly authenticationApproaches: readonly ('REDIRECT' | 'DECOUPLED' | 'EMBEDDED-1-FACTOR' | 'NONE')[];
  /** `chargeBearer` (NWM-14: SLEV). */
  readonly chargeBearer: 'SLEV';
  /** `paymentTypeInformation.categoryPurpose` values the bank accepts (NWM-15). */
  readonly categoryPurposes: readonly string[];
  /** The categoryPurpose sent when the configuration names none; null = omit (allowed only when not mandatory). */
  readonly defaultCategoryPurpose: string | null;
  /** Transaction `purpose` values the bank accepts when one is configured (NWM-20). */
  readonly purposes: readonly string[];
  /** Days the bank keeps a payment request readable by GET (NWM: 35); after that a non-final payment is `expired`. */
  readonly retentionDays: number;
  /** How the bank moves a non-business date (NWM-06: FWNG, following). */
  readonly executionRule: 'FWNG' | 'PREC';
  /** Rate-limit hint: bank calls per second stetpay allows itself, all workers together. */
  readonly requestsPerSecond: number;
  /** Whether `unsuccessfulReportUrl` may be omitted (NWM-10: yes, the successful one is used). */
  readonly unsuccessfulReportUrlOptional: boolean;
  /** Whether the bank only pays registered beneficiaries (NWM-17): stetpay then checks the configured list. */
  readonly registeredBeneficiariesOnly: boolean;
  /**
   * How to get the bank's fallback link into online banking when its API is down (PSD2 RTS art. 33):
   * `token-redirect` = the token request with the header `fallback: 1` and the QWAC, answered `302`
   * with the link in `Location` (BPCE's gateway, NWM's guide "Using the fallback"); `none` = the bank
   * gives no such link through its API (the signatory logs in to online banking directly).
   */
  readonly apiFallback: 'token-redirect' | 'none';
  /**
   * Minutes the bank keeps a payment request waiting for the signatory's consent after the POST;
   * then it rejects it (RJCT, reason NOAS) and nothing is paid.
   */
  readonly consentWindowMinutes: number;
  /**
   * When stetpay POSTs by default (`bank.submissionMode` overrides): `nightly`, the workers send each
   * payment after the night's run and the signatory approves in the morning (banks whose consent window
   * outlasts the night); `on-signatory`, the night's run only reserves, and each payment is POSTed when
   * the signatory opens it on the signatory's page, so its consent window starts then.
   */
  readonly submissionMode: SubmissionMode;
  /**
   * How the bank words two answers stetpay must recognise whatever their status suggests. `duplicate`:
   * the refusal of a paymentInformationId it already has, the last guard against paying twice (the
   * request is then read, never resent with new ids). `tokenRefusal`: the refusal of the access token
   * itself beyond RFC 6750's 401 `invalid_token`, after which the client renews the token and replays once.
   */
  readonly signals: BankSignals;
}

/** A bank answer recognised by its HTTP status and its body. */
export interface BankSignal {
  readonly status: number;
  /** Tested against the body as text. */
  readonly body: RegExp;
}

/** See {@link BankProfile.signals}. */
export interface BankSignals {
  readonly duplicate: readonly BankSignal[];
  readonly tokenRefusal: readonly BankSignal[];
}

/** See {@link BankProfile.submissionMode}. */
export type SubmissionMode = 'nightly' | 'on-signatory';
