/**
 * The mapping context the fallback file rebuilds payments with: the same bank
 * rules, clock and payment settings as the run, so each bill maps to the same
 * ids and the same transfer. The consent links are never part of a pain.001
 * file: a placeholder stands in, so the export needs no callback secret.
 */
import type { MappingContext } from '../../connector/mapping/index.js';
import type { BankProfile } from '../../connector/profiles/index.js';
import { mappingContext } from '../app/mapping-context.js';
import type { PaymentsConfig } from '../config/index.js';

const NOT_SENT = 'https://stetpay.invalid/pain001-export';

export function exportMappingContext(profile: BankProfile, payments: Readonly<PaymentsConfig>, now: Date, registeredBeneficiaries?: readonly string[]): MappingContext {
  return mappingContext(payments, profile, now, () => ({ successfulReportUrl: NOT_SENT, unsuccessfulReportUrl: NOT_SENT }), registeredBeneficiaries);
}
