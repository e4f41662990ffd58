import type { PaymentIds } from '../rules/payment-ids.js';
import type { BankProfile } from '../profiles/bank-profile.js';
import type { ExecutionPolicy } from '../rules/execution-date.js';

/** Everything the mapping needs besides the bill: the bank, the clock and the configuration. */
export interface MappingContext {
  /** The bank's rules. */
  profile: BankProfile;
  /** The current instant (the clock is an argument: the mapping is pure). */
  now: Date;
  /** The zone of "today" and of the cut-off. @defaultValue 'Europe/Paris' (pass it explicitly) */
  timeZone: string;
  /** `due-date`: pay on the due date (or the first possible day when past); `asap`: the first possible day. */
  executionPolicy: ExecutionPolicy;
  /** `HH:MM` in `timeZone`: after it, today is no longer a possible execution date. */
  cutoffTime: string;
  /**
   * IBANs registered as beneficiaries at the bank (NWM-17), any spacing/case.
   * Undefined = no list: not checked (the bank still refuses an unregistered one).
   */
  registeredBeneficiaries?: readonly string[];
  /** `paymentTypeInformation.categoryPurpose`; must be one of the profile's. @defaultValue profile.defaultCategoryPurpose */
  categoryPurpose?: string;
  /** The transaction's `purpose`; must be one of the profile's. @defaultValue omitted */
  purpose?: string;
  /** Send as SCT Inst (`localInstrument: INST`); only when the profile allows it. @defaultValue false */
  instant?: boolean;
  /** The consent callback URLs of one payment (`successfulReportUrl` is mandatory, NWM-10). */
  reportUrls(ids: PaymentIds): { successfulReportUrl: string; unsuccessfulReportUrl?: string };
}
