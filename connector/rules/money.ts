/**
 * Money in integer cents. Odoo sends amounts as floats; the value a user sees
 * is the shortest decimal that prints back to the same float (`String(x)`), so
 * we round THAT decimal, as a string, half away from zero: 1234.565 -> 123457
 * and 0.1 + 0.2 (0.30000000000000004) -> 30. No float arithmetic touches money.
 */

/** SEPA: 0.01 .. 999 999 999.99 (the EPC's SCT implementation guidelines). */
export const MIN_CENTS = 1;
export const MAX_CENTS = 99_999_999_999;

/** The only currency the supported banks take for SCT (NWM-02). */
export const EUR = 'EUR';

/**
 * Odoo float -> integer cents, rounded half away from zero on the decimal shown.
 * @throws RangeError when `amount` is not a finite number.
 */
export function toCents(amount: number): number {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) {
    throw new RangeError(`amount is not a finite number: ${String(amount)}`);
  }
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(amount));
  if (!m) throw new RangeError(`cannot read amount ${String(amount)}`);
  const [, sign = '', intPart = '0', fracPart = '', expPart = '0'] = m;
  // Shift the decimal point by the exponent, on the digit string.
  let digits = intPart + fracPart;
  let point = intPart.length + Number(expPart);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const whole = digits.slice(0, point) || '0';
  const frac = digits.slice(point).padEnd(3, '0');
  let cents = BigInt(whole) * 100n + BigInt(frac.slice(0, 2));
  if (frac.charCodeAt(2) >= 53 /* '5' */) cents += 1n; // half away from zero: on the magnitude
  const result = Number(cents);
  return sign === '-' && result !== 0 ? -result : result;
}

/** Cents -> the STET `amount` (a JSON number with at most 2 decimals): 12345 -> 123.45. */
export function centsToStetAmount(cents: number): number {
  return Number(formatCents(cents));
}

/** Cents -> `123.45` / `-0.05` (a decimal string, always 2 decimals). */
export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`cents must be a safe integer, got ${cents}`);
  const abs = String(Math.abs(cents)).padStart(3, '0');
  return `${cents < 0 ? '-' : ''}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}

/** What is wrong with an amount for a SEPA transfer, or null when it is payable. */
export type AmountProblem = 'AMOUNT_ZERO' | 'AMOUNT_NEGATIVE' | 'AMOUNT_TOO_LARGE';

export function checkAmountCents(cents: number): AmountProblem | null {
  if (cents === 0) return 'AMOUNT_ZERO';
  if (cents < 0) return 'AMOUNT_NEGATIVE';
  if (cents > MAX_CENTS) return 'AMOUNT_TOO_LARGE';
  return null;
}
