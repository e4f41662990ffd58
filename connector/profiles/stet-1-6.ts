import type { BankProfile } from './bank-profile.js';

/** A generic bank following STET 1.6.2 to the letter: confirmation after consent, cancellation by PUT CANC + DS02. */
export const STET_1_6: BankProfile = Object.freeze({
  id: 'stet-1.6',
  name: 'Generic STET 1.6.2 bank',
  serviceLevel: 'SEPA',
  currencies: Object.freeze(['EUR']),
  maxDaysAhead: 365,
  maxTransactionsPerRequest: 100,
  instantAllowed: true,
  requiresConfirmation: true,
  cancellation: 'put',
  cancellationStatus: 'CANC',
  authenticationApproaches: Object.freeze(['REDIRECT'] as const),
  chargeBearer: 'SLEV',
  categoryPurposes: Object.freeze(['CASH', 'CORT', 'DVPM', 'INTC', 'TREA', 'SALA']),
  defaultCategoryPurpose: 'CASH',
  purposes: Object.freeze(['ACCT', 'CASH', 'COMC', 'CPKC', 'TRPT', 'SALA']),
  retentionDays: 30,
  executionRule: 'FWNG',
  requestsPerSecond: 20,
  unsuccessfulReportUrlOptional: true,
  registeredBeneficiariesOnly: false,
  apiFallback: 'none',
  // A bank that keeps a request a day: POSTed at night, approved in the morning.
  consentWindowMinutes: 24 * 60,
  submissionMode: 'nightly',
  // STET names no code for either: the same answers as BPCE's gateway, which the sandbox gives for this bank too.
  signals: Object.freeze({
    duplicate: Object.freeze([{ status: 500, body: /duplicate unique key/i }]),
    tokenRefusal: Object.freeze([{ status: 400, body: /invalid[ _]token/i }]),
  }),
});
