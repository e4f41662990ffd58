export type { BankProfile, BankSignal, BankSignals, SubmissionMode } from './bank-profile.js';
export { NWM_18919 } from './nwm-18919.js';
export { STET_1_6 } from './stet-1-6.js';
export { BANK_PROFILES, bankProfileIds, getBankProfile, UnknownBankProfileError } from './registry.js';
