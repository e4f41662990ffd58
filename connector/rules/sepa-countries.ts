/**
 * The 41 SEPA countries, plus Gibraltar (a territory with its own IBAN prefix),
 * and the fixed IBAN length of each: 42 prefixes (EPC's list of SEPA countries, SWIFT's IBAN registry).
 * Kept here rather than taken from ibantools: its `isSEPACountry` (4.5.4) still
 * lacks AL, ME (Nov 2024), MD, MK (2025) and RS (2025).
 * Territories use their parent's prefix (FR for GP, MQ, RE...; GB for JE, GG, IM).
 */
export const SEPA_IBAN_LENGTHS: Readonly<Record<string, number>> = Object.freeze({
  AD: 24, AL: 28, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18,
  EE: 20, ES: 24, FI: 18, FR: 27, GB: 22, GI: 23, GR: 27, HR: 21, HU: 28, IE: 22,
  IS: 26, IT: 27, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19,
  MT: 31, NL: 18, NO: 15, PL: 28, PT: 25, RO: 24, RS: 22, SE: 24, SI: 19, SK: 24,
  SM: 27, VA: 22,
});

/** IBAN country prefixes accepted for SEPA (the 41 countries and GI), sorted. */
export const SEPA_COUNTRIES: readonly string[] = Object.freeze(Object.keys(SEPA_IBAN_LENGTHS).sort());

export function isSepaCountry(countryCode: string): boolean {
  return Object.hasOwn(SEPA_IBAN_LENGTHS, countryCode);
}

/** The IBAN length of a SEPA country, or undefined outside SEPA. */
export function sepaIbanLength(countryCode: string): number | undefined {
  return isSepaCountry(countryCode) ? SEPA_IBAN_LENGTHS[countryCode] : undefined;
}
