/** IBANs with correct national and ISO 13616 check digits, for the seed (the sandbox computes its own). */

function mod97(digits: string): number {
  let r = 0;
  for (const ch of digits) r = (r * 10 + Number(ch)) % 97;
  return r;
}

function lettersToDigits(s: string): string {
  return s.toUpperCase().replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
}

export function ibanFromBban(country: string, bban: string): string {
  const check = 98 - mod97(lettersToDigits(bban + country + '00'));
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

const digits = (rand: () => number, n: number): string => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');

/** French RIB key: 97 - ((89*bank + 15*branch + 3*account) mod 97). */
function ribKey(bank: string, branch: string, account: string): string {
  const r = (89 * Number(bank) + 15 * Number(branch) + 3 * Number(account)) % 97;
  return String(97 - r).padStart(2, '0');
}

function esControl(s: string): number {
  const w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
  const sum = [...s].reduce((t, c, i) => t + Number(c) * w[i]!, 0);
  const d = 11 - (sum % 11);
  return d === 11 ? 0 : d === 10 ? 1 : d;
}

function itCin(rest: string): string {
  const odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
  let sum = 0;
  [...rest].forEach((c, i) => {
    const v = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 65;
    sum += i % 2 === 0 ? odd[v]! : v;
  });
  return String.fromCharCode(65 + (sum % 26));
}

/** A valid IBAN for `country` at `bankCode` (FR: 5 digits, DE: 8, ES: 4+4, IT: ABI 5 + CAB 5, BE: 3, NL: 4 letters). */
export function makeIban(country: string, bankCode: string, rand: () => number): string {
  switch (country) {
    case 'FR': {
      const branch = digits(rand, 5);
      const account = digits(rand, 11);
      return ibanFromBban('FR', bankCode + branch + account + ribKey(bankCode, branch, account));
    }
    case 'DE':
      return ibanFromBban('DE', bankCode + digits(rand, 10));
    case 'ES': {
      const bankBranch = bankCode + digits(rand, 4);
      const account = digits(rand, 10);
      return ibanFromBban('ES', `${bankBranch}${esControl('00' + bankBranch)}${esControl(account)}${account}`);
    }
    case 'IT': {
      const rest = bankCode + digits(rand, 5) + digits(rand, 12);
      return ibanFromBban('IT', itCin(rest) + rest);
    }
    case 'BE': {
      const first = bankCode + digits(rand, 7);
      const c = Number(BigInt(first) % 97n) || 97;
      return ibanFromBban('BE', first + String(c).padStart(2, '0'));
    }
    case 'NL':
      return ibanFromBban('NL', bankCode + digits(rand, 10));
    default:
      throw new Error(`no IBAN format for ${country}`);
  }
}

/** Same account, wrong ISO check digits (a typo a clerk could make). */
export function breakCheckDigits(iban: string): string {
  const cd = Number(iban.slice(2, 4));
  const wrong = cd >= 97 ? cd - 1 : cd + 1;
  return iban.slice(0, 2) + String(wrong).padStart(2, '0') + iban.slice(4);
}

/** Groups of four, as people type IBANs into Odoo. */
export const spaced = (iban: string): string => iban.replace(/(.{4})/g, '$1 ').trim();
