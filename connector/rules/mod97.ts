/**
 * ISO 7064 MOD 97-10 as used by IBAN (ISO 13616) and RF creditor references
 * (ISO 11649): move the first four characters to the end, A=10 ... Z=35, mod 97.
 * Computed in chunks so no number ever exceeds 2^53.
 */
export function mod97(alphanumeric: string): number {
  const rearranged = alphanumeric.slice(4) + alphanumeric.slice(0, 4);
  let digits = '';
  for (const ch of rearranged.toUpperCase()) {
    const code = ch.charCodeAt(0);
    if (code >= 48 && code <= 57) digits += ch;
    else if (code >= 65 && code <= 90) digits += String(code - 55);
    else return -1; // not alphanumeric: never valid
  }
  let rest = 0;
  for (let i = 0; i < digits.length; i += 7) rest = Number(String(rest) + digits.slice(i, i + 7)) % 97;
  return rest;
}
