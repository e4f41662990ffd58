/**
 * IBAN checks (ISO 13616) for the creditor and debtor accounts. ibantools knows
 * each country's BBAN format and national check digits; our own SEPA list
 * (sepa-countries.ts) decides what SEPA accepts, and length + mod-97 are checked
 * for every SEPA country, including those ibantools does not know as SEPA.
 */
import { electronicFormatIBAN, friendlyFormatIBAN, getCountrySpecifications, validateIBAN, ValidationErrorsIBAN } from 'ibantools';
import { mod97 } from './mod97.js';
import { isSepaCountry, sepaIbanLength } from './sepa-countries.js';

/** What is wrong with an IBAN; each is also a reason code. */
export type IbanProblem = 'IBAN_FORMAT' | 'IBAN_LENGTH' | 'IBAN_CHECKSUM' | 'IBAN_COUNTRY_NOT_SEPA';

export type IbanCheck =
  | { ok: true; /** electronic format: upper case, no spaces */ iban: string; country: string }
  | { ok: false; iban: string; problem: IbanProblem; /** for the clerk: e.g. "FR IBANs have 27 characters, this one has 26" */ detail: string };

/** Upper case, spaces and dashes removed (as typed in Odoo: `fr76 3000 6000 ...`). */
export function normalizeIban(raw: string | null | undefined): string {
  return electronicFormatIBAN(raw ?? '') ?? '';
}

/** `FR76 3000 6000 0112 3456 7890 189`, for messages. */
export function formatIban(raw: string | null | undefined): string {
  const iban = normalizeIban(raw);
  return friendlyFormatIBAN(iban) ?? iban;
}

const SHAPE = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/;
const knownSpecs = getCountrySpecifications();

/** Checks a SEPA IBAN: shape, SEPA country, the country's length, check digits, BBAN format. */
export function checkIban(raw: string | null | undefined): IbanCheck {
  const iban = normalizeIban(raw);
  if (!SHAPE.test(iban)) {
    return { ok: false, iban, problem: 'IBAN_FORMAT', detail: 'an IBAN is 2 letters, 2 check digits and up to 30 letters or digits' };
  }
  const country = iban.slice(0, 2);
  if (!isSepaCountry(country)) {
    return { ok: false, iban, problem: 'IBAN_COUNTRY_NOT_SEPA', detail: `${country} is not a SEPA country` };
  }
  const length = sepaIbanLength(country);
  if (iban.length !== length) {
    return { ok: false, iban, problem: 'IBAN_LENGTH', detail: `${country} IBANs have ${length} characters, this one has ${iban.length}` };
  }
  const checkDigits = iban.slice(2, 4);
  if (mod97(iban) !== 1 || checkDigits === '00' || checkDigits === '01' || checkDigits === '99') {
    return { ok: false, iban, problem: 'IBAN_CHECKSUM', detail: 'its check digits do not match the account number' };
  }
  if (knownSpecs[country]?.bban_regexp) {
    const result = validateIBAN(iban);
    for (const err of result.errorCodes) {
      if (err === ValidationErrorsIBAN.WrongAccountBankBranchChecksum) {
        return { ok: false, iban, problem: 'IBAN_CHECKSUM', detail: 'its national check digits (bank, branch or account key) do not match' };
      }
      if (err === ValidationErrorsIBAN.WrongBBANFormat) {
        return { ok: false, iban, problem: 'IBAN_FORMAT', detail: `the account part does not have the ${country} format` };
      }
      // Other codes (length, checksum, country) are already covered above, with our own SEPA list.
    }
  }
  return { ok: true, iban, country };
}
