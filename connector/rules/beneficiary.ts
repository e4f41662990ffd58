/**
 * Who is paid: checks on the bill's recipient bank account, fed by the Odoo
 * side's snapshot. Guards against paying a wrong or changed account (the
 * classic IBAN-change fraud): the account must be the supplier's own, trusted
 * when Odoo knows trust, valid, and, at banks that only pay registered
 * beneficiaries (NWM-17), on the configured list.
 */
import type { BillSnapshot } from '../model/bill-snapshot.js';
import { makeReason, type Reason } from './reasons.js';
import { isValidBic, normalizeBic } from './bic.js';
import { checkIban, formatIban, normalizeIban } from './iban.js';

export interface BeneficiaryCheck {
  reasons: Reason[];
  /** The creditor IBAN (electronic format) when valid. */
  iban: string | null;
  /** The creditor BIC when known and valid; null = omit `creditorAgent`. */
  bic: string | null;
}

/**
 * @param registeredBeneficiaries IBANs registered at the bank (any spacing/case);
 *   undefined = no list configured, the check is skipped.
 */
export function checkBeneficiary(snapshot: BillSnapshot, registeredBeneficiaries?: readonly string[]): BeneficiaryCheck {
  const billName = snapshot.bill.name;
  const account = snapshot.supplierAccount;
  if (!account) return { reasons: [makeReason('NO_BANK_ACCOUNT', billName)], iban: null, bic: null };

  const reasons: Reason[] = [];
  const shown = formatIban(account.accountNumber) || account.accountNumber;
  if (!account.active) reasons.push(makeReason('BANK_ACCOUNT_ARCHIVED', billName, { iban: shown }));
  if (account.partnerId === null || account.partnerId !== snapshot.bill.commercialPartnerId) {
    reasons.push(makeReason('ACCOUNT_NOT_SUPPLIERS', billName, { iban: shown }));
  }
  // null: this Odoo version has no trust flag; nothing to check.
  if (account.trusted === false) reasons.push(makeReason('ACCOUNT_NOT_TRUSTED', billName, { iban: shown }));

  const iban = checkIban(account.accountNumber);
  if (!iban.ok) {
    const display = iban.problem === 'IBAN_FORMAT' ? account.accountNumber.slice(0, 50) : shown;
    reasons.push(makeReason(iban.problem, billName, { iban: display, detail: iban.detail }));
  } else if (registeredBeneficiaries !== undefined) {
    const registered = new Set(registeredBeneficiaries.map((x) => normalizeIban(x)));
    if (!registered.has(iban.iban)) reasons.push(makeReason('BENEFICIARY_NOT_REGISTERED', billName, { iban: shown }));
  }

  const bic = normalizeBic(account.bic);
  if (bic !== null && !isValidBic(bic)) reasons.push(makeReason('BIC_INVALID', billName, { bic: (account.bic ?? '').slice(0, 20) }));

  return { reasons, iban: iban.ok ? iban.iban : null, bic: bic !== null && isValidBic(bic) ? bic : null };
}
