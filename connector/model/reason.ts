/**
 * Why a bill cannot be paid (or not yet). `code` is stable (reports, tests,
 * the README's table); `rule` names the rule (e.g. `NWM-04`, `SEPA-IBAN`);
 * `message` names the bill and says what the clerk must fix.
 */
export interface Reason {
  code: string;
  rule: string;
  field: string;
  message: string;
}
