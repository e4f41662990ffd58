import type { BillSnapshot, PaymentIds } from '../../connector/model/index.js';
import { mapBill, type MappingContext, type MappingOutcome } from '../../connector/mapping/index.js';
import type { BankProfile } from '../../connector/profiles/index.js';
import { reportUrlsFor } from '../callback/index.js';
import type { ConfigWith, PaymentsConfig } from '../config/index.js';

export type MappingConfig = ConfigWith<'bank' | 'callback'>;
type ReportUrls = MappingContext['reportUrls'];

/**
 * The mapping context: the bank's rules, the clock, the payment settings and
 * the consent links. `now` is fixed for a run so that every body (and every
 * retry of it) is built once, identically.
 */
export function mappingContext(
  payments: Readonly<PaymentsConfig>,
  profile: BankProfile,
  now: Date,
  reportUrls: ReportUrls,
  registeredBeneficiaries?: readonly string[],
): MappingContext {
  return {
    profile,
    now,
    timeZone: payments.timeZone,
    executionPolicy: payments.executionPolicy,
    cutoffTime: payments.cutoffTime,
    categoryPurpose: payments.categoryPurpose,
    purpose: payments.purpose,
    instant: payments.instant,
    registeredBeneficiaries,
    reportUrls,
  };
}

/** The signed consent links of one bill's payment (they name the bill, so the callback can check it). */
export function consentLinks(config: MappingConfig, now: Date, billId: number): ReportUrls {
  return (ids: PaymentIds) => reportUrlsFor(config.callback.publicUrl, config.callback.secret, { ...ids, billId }, { now });
}

/** The run's context for one bill. */
export function runMappingContext(config: MappingConfig, profile: BankProfile, now: Date, billId: number): MappingContext {
  return mappingContext(config.payments, profile, now, consentLinks(config, now, billId), config.bank.registeredBeneficiaries);
}

/** Maps one collected bill with the attempt given (the run: next attempt; a rebuild: the recorded one). */
export function mapForAttempt(snapshot: BillSnapshot, attempt: number, config: MappingConfig, profile: BankProfile, now: Date): MappingOutcome {
  const withAttempt: BillSnapshot = { ...snapshot, bill: { ...snapshot.bill, attempt } };
  return mapBill(withAttempt, runMappingContext(config, profile, now, snapshot.bill.id));
}
