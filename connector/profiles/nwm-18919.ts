import type { BankProfile } from './bank-profile.js';

/** Natixis Wealth Management France (BPCE gateway, STET 1.6.2): every rule of its API guide (NWM-01 to NWM-22, listed in docs/rules.md). */
export const NWM_18919: BankProfile = Object.freeze({
  id: 'nwm-18919',
  name: 'Natixis Wealth Management France',
  establishmentCode: '18919',
  serviceLevel: 'SEPA', // NWM-01
  currencies: Object.freeze(['EUR']), // NWM-02
  maxDaysAhead: 30, // NWM-04
  maxTransactionsPerRequest: 1, // NWM-05
  instantAllowed: false, // NWM-08
  requiresConfirmation: false, // the confirmation call answers 405
  cancellation: 'none', // PUT answers 405
  cancellationStatus: 'CANC',
  authenticationApproaches: Object.freeze(['REDIRECT'] as const), // NWM-11
  chargeBearer: 'SLEV', // NWM-14
  categoryPurposes: Object.freeze(['CASH', 'DVPM', 'SALA']), // NWM-15
  defaultCategoryPurpose: 'CASH',
  purposes: Object.freeze(['TRPT', 'CASH', 'CPKC', 'ACCT', 'COMC']), // NWM-20
  retentionDays: 35,
  executionRule: 'FWNG', // NWM-06
  requestsPerSecond: 50,
  unsuccessfulReportUrlOptional: true, // NWM-10
  registeredBeneficiariesOnly: true, // NWM-17
  apiFallback: 'token-redirect', // the guide's "Using the fallback"
  // The guide gives no figure; BPCE's redirect session lasts minutes, as the sandbox's 15: a request
  // POSTed at night expires (NOAS) before anyone is awake, so each is POSTed when the signatory opens it.
  consentWindowMinutes: 15,
  submissionMode: 'on-signatory',
  // The guide's error table: a paymentInformationId already used fails the database insert (500); NWM-22: an expired token is 400.
  signals: Object.freeze({
    duplicate: Object.freeze([{ status: 500, body: /duplicate unique key/i }]),
    tokenRefusal: Object.freeze([{ status: 400, body: /invalid[ _]token/i }]),
  }),
});
