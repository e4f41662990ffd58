import type { BankProfile } from './bank-profile.js';

/** Natixis Wealth Management France (BPCE gateway, STET 1.6.2): every rule of /work/shared/bank/PROFILE-NWM.md. */
export const NWM_18919: BankProfile = Object.freeze({
  id: 'nwm-18919',
  name: 'Natixis Wealth Management France',
  establishmentCode: '18919',
  stetVersion: '1.6.2',
  serviceLevel: 'SEPA', // NWM-01
  currencies: Object.freeze(['EUR']), // NWM-02
  maxDaysAhead: 30, // NWM-04
  maxTransactionsPerRequest: 1, // NWM-05
  instantAllowed: false, // NWM-08
  frequencyAllowed: false, // NWM-07
  requiresConfirmation: false, // the confirmation call answers 405
  cancellation: 'none', // PUT answers 405
  cancellationStatus: 'CANC',
  authenticationApproaches: Object.freeze(['REDIRECT'] as const), // NWM-11
  chargeBearer: 'SLEV', // NWM-14
  categoryPurposes: Object.freeze(['CASH', 'DVPM', 'SALA']), // NWM-15
  defaultCategoryPurpose: 'CASH',
  purposes: Object.freeze(['TRPT', 'CASH', 'CPKC', 'ACCT', 'COMC']), // NWM-20
  privateIdSchemeNames: Object.freeze(['BANK', 'COID', 'SREN', 'DSRET', 'NIDN', 'OAUT', 'CPAN']), // NWM-21
  retentionDays: 35,
  executionRule: 'FWNG', // NWM-06
  requestsPerSecond: 50,
  unsuccessfulReportUrlOptional: true, // NWM-10
  registeredBeneficiariesOnly: true, // NWM-17
  debtorIbanBankCodes: Object.freeze(['FR18919']), // NWM-18: only the client's accounts at the establishment
  apiFallback: 'token-redirect', // the guide's "Using the fallback"
  // The guide gives no figure; BPCE's redirect session lasts minutes, as the sandbox's 15: a request
  // POSTed at night expires (NOAS) before anyone is awake, so each is POSTed when the signatory opens it.
  consentWindowMinutes: 15,
  submissionMode: 'on-signatory',
});
