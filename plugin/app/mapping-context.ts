import type { BillSnapshot } from '../../connector/model/index.js';
import { mapBill, type MappingContext, type MappingOutcome } from '../../connector/mapping/index.js';
import type { BankProfile } from '../../connector/profiles/index.js';
import { reportUrlsFor } from '../callback/index.js';
import type { ConfigWith } from '../config/index.js';

export type MappingConfig = ConfigWith<'bank' | 'callback'>;

/**
 * The mapping context of one run: the bank's rules, the clock, the payment
 * settings and the signed consent links. `now` is fixed for the run so that
 * every body (and every retry of it) is built once, identically.
 */
export function mappingContext(config: MappingConfig, profile: BankProfile, now: Date, billId: number): MappingContext {
  const { callback, payments, bank } = config;
  return {
    profile,
    now,
    timeZone: payments.timeZone,
    executionPolicy: payments.executionPolicy,
    cutoffTime: payments.cutoffTime,
    categoryPurpose: payments.categoryPurpose,
    registeredBeneficiaries: bank.registeredBeneficiaries,
    reportUrls: (ids) => reportUrlsFor(callback.publicUrl, callback.secret, { ...ids, billId }, { now }),
  };
}

/** Maps one collected bill with the attempt given (the run: next attempt; a rebuild: the recorded one). */
export function mapForAttempt(snapshot: BillSnapshot, attempt: number, config: MappingConfig, profile: BankProfile, now: Date): MappingOutcome {
  const withAttempt: BillSnapshot = { ...snapshot, bill: { ...snapshot.bill, attempt } };
  return mapBill(withAttempt, mappingContext(config, profile, now, snapshot.bill.id));
}
