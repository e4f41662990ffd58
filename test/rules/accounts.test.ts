import { expect } from 'chai';
import { getCountrySpecifications } from 'ibantools';
import { isValidBic, normalizeBic } from '../../connector/rules/bic.js';
import { findCreditorReference, isCreditorReference, makeCreditorReference } from '../../connector/rules/creditor-reference.js';
import { checkIban, formatIban, normalizeIban } from '../../connector/rules/iban.js';
import { mod97 } from '../../connector/rules/mod97.js';
import { SEPA_COUNTRIES, SEPA_IBAN_LENGTHS, isSepaCountry } from '../../connector/rules/sepa-countries.js';

/** Builds a valid IBAN for `country` from a BBAN, computing the check digits. */
function ibanOf(country: string, bban: string): string {
  const check = 98 - mod97(`${country}00${bban}`);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

describe('accounts: IBAN, BIC, RF reference', () => {
  it('SEPA-IBAN accepts valid IBANs typed with spaces and in lower case', () => {
    expect(checkIban('fr76 3000 6000 0112 3456 7890 189')).to.deep.equal({ ok: true, iban: 'FR7630006000011234567890189', country: 'FR' });
    expect(checkIban('DE89 3704 0044 0532 0130 00').ok).to.equal(true);
    expect(checkIban('GB29NWBK60161331926819').ok).to.equal(true);
    expect(normalizeIban(' be68 5390-0754 7034 ')).to.equal('BE68539007547034');
    expect(formatIban('FR7630006000011234567890189')).to.equal('FR76 3000 6000 0112 3456 7890 189');
  });

  it('SEPA-IBAN refuses a wrong check digit', () => {
    expect(checkIban('FR7630006000011234567890188')).to.include({ ok: false, problem: 'IBAN_CHECKSUM' });
    expect(checkIban('DE88370400440532013000')).to.include({ ok: false, problem: 'IBAN_CHECKSUM' });
  });

  it('SEPA-IBAN refuses a wrong length for the country', () => {
    const r = checkIban('FR763000600001123456789018');
    expect(r).to.include({ ok: false, problem: 'IBAN_LENGTH' });
    expect(r.ok ? '' : r.detail).to.equal('FR IBANs have 27 characters, this one has 26');
  });

  it('SEPA-IBAN refuses a country outside SEPA, and a non-IBAN', () => {
    expect(checkIban('TR330006100519786457841326')).to.include({ ok: false, problem: 'IBAN_COUNTRY_NOT_SEPA' });
    expect(checkIban('US12345678901234567890')).to.include({ ok: false, problem: 'IBAN_COUNTRY_NOT_SEPA' });
    expect(checkIban('12345678')).to.include({ ok: false, problem: 'IBAN_FORMAT' });
    expect(checkIban('')).to.include({ ok: false, problem: 'IBAN_FORMAT' });
    expect(checkIban('FR76 3000 6000 0112 3456 7890 18é')).to.include({ ok: false, problem: 'IBAN_FORMAT' });
  });

  it('SEPA-COUNTRIES lists the 41 countries (and GI) with their lengths, including AL ME MD MK RS', () => {
    expect(SEPA_COUNTRIES).to.have.length(42);
    for (const c of ['AL', 'ME', 'MD', 'MK', 'RS', 'GI', 'CH', 'GB', 'VA']) expect(isSepaCountry(c), c).to.equal(true);
    expect(isSepaCountry('TR')).to.equal(false);
    expect(isSepaCountry('US')).to.equal(false);
  });

  it('SEPA-IBAN checks length and mod-97 for the countries ibantools does not know as SEPA', () => {
    expect(checkIban('AL47212110090000000235698741').ok).to.equal(true);
    expect(checkIban('ME25505000012345678951').ok).to.equal(true);
    expect(checkIban('MK07250120000058984').ok).to.equal(true);
    expect(checkIban('RS35260005601001611379').ok).to.equal(true);
    expect(checkIban(ibanOf('MD', 'AG000225100013104168')).ok).to.equal(true);
    expect(checkIban('RS35260005601001611378')).to.include({ problem: 'IBAN_CHECKSUM' });
    expect(checkIban('MK0725012000005898')).to.include({ problem: 'IBAN_LENGTH' });
  });

  // The IBAN lengths as SWIFT's IBAN registry lists them, written out here, not taken from the table under test.
  const REGISTRY_LENGTHS =
    'AD24 AL28 AT20 BE16 BG22 CH21 CY28 CZ24 DE22 DK18 EE20 ES24 FI18 FR27 GB22 GI23 GR27 HR21 HU28 IE22 IS26 IT27 LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 MT31 NL18 NO15 PL28 PT25 RO24 RS22 SE24 SI19 SK24 SM27 VA22';
  const registryLengths = Object.fromEntries(REGISTRY_LENGTHS.split(' ').map((e) => [e.slice(0, 2), Number(e.slice(2))]));

  it('SEPA-IBAN: the length table is the one in the SEPA facts, and agrees with ibantools for every country', () => {
    expect({ ...SEPA_IBAN_LENGTHS }).to.deep.equal(registryLengths);
    const specs = getCountrySpecifications();
    for (const [country, length] of Object.entries(SEPA_IBAN_LENGTHS)) expect(specs[country]?.chars, country).to.equal(length);
  });

  it('SEPA-IBAN: every SEPA country accepts an IBAN of its own length and refuses one a character short', () => {
    for (const [country, length] of Object.entries(registryLengths)) {
      const r = checkIban(ibanOf(country, '0'.repeat(length - 4)));
      // ibantools may still refuse an all-zero BBAN on a national check; the length rule must not.
      expect(r.ok || r.problem !== 'IBAN_LENGTH', country).to.equal(true);
      expect(checkIban(ibanOf(country, '0'.repeat(length - 5))), country).to.include({ ok: false, problem: 'IBAN_LENGTH' });
    }
  });

  it('NWM-19 accepts an 8 or 11 character ISO 9362 BIC and refuses a malformed one', () => {
    expect(isValidBic('NATXFRPP')).to.equal(true);
    expect(isValidBic('NATXFRPPXXX')).to.equal(true);
    expect(isValidBic('CEPAFRPP670')).to.equal(true);
    expect(isValidBic('NATXFRP')).to.equal(false);
    expect(isValidBic('NATXFRPPXX')).to.equal(false);
    expect(isValidBic('NATXFR1PXXX')).to.equal(false); // location's first char 0/1 is not allowed
    expect(isValidBic('NATXFRPOXXX')).to.equal(false); // location's second char O is not allowed
    expect(normalizeBic(' natx frpp ')).to.equal('NATXFRPP');
    expect(normalizeBic('  ')).to.equal(null);
  });

  it('SEPA-RF recognises an ISO 11649 creditor reference (mod 97 = 1), with spaces', () => {
    expect(isCreditorReference('RF18539007547034')).to.equal(true);
    expect(isCreditorReference('RF18 5390 0754 7034')).to.equal(true);
    expect(isCreditorReference('RF19539007547034')).to.equal(false);
    expect(isCreditorReference('RF18')).to.equal(false);
    expect(findCreditorReference('rf18 5390 0754 7034')).to.equal('RF18539007547034');
    expect(findCreditorReference('Invoice RF18539007547034')).to.equal(null);
    expect(findCreditorReference(null)).to.equal(null);
    expect(makeCreditorReference('539007547034')).to.equal('RF18539007547034');
    expect(isCreditorReference(makeCreditorReference('BILL2026110042'))).to.equal(true);
  });
});
