/**
 * ISO 11649 "RF" creditor references: `RF` + 2 check digits + 1..21 letters or
 * digits, mod 97 = 1. A bill whose payment reference is one is paid with a
 * structured remittance (SCOR), which the supplier's bank can match automatically.
 */
import { mod97 } from './mod97.js';

const RF_SHAPE = /^RF[0-9]{2}[A-Z0-9]{1,21}$/;

/** Spaces removed, upper case: `rf18 5390 0754 7034` -> `RF18539007547034`. */
export function normalizeCreditorReference(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

export function isCreditorReference(raw: string): boolean {
  const ref = normalizeCreditorReference(raw);
  return RF_SHAPE.test(ref) && mod97(ref) === 1;
}

/**
 * The RF reference held by a bill's payment reference, or null. Only a payment
 * reference that IS an RF reference (spaces allowed) counts: one with other text
 * around it keeps that text, as unstructured remittance.
 */
export function findCreditorReference(paymentReference: string | null | undefined): string | null {
  if (!paymentReference) return null;
  return isCreditorReference(paymentReference) ? normalizeCreditorReference(paymentReference) : null;
}

/** Builds the RF reference for `body` (1..21 letters or digits): `RF` + 98 - mod97(body + 'RF00'). */
export function makeCreditorReference(body: string): string {
  const clean = normalizeCreditorReference(body);
  if (!/^[A-Z0-9]{1,21}$/.test(clean)) throw new RangeError(`an RF reference body is 1 to 21 letters or digits, got '${body}'`);
  const check = 98 - mod97('RF00' + clean);
  return `RF${String(check).padStart(2, '0')}${clean}`;
}
