/** BIC (ISO 9362) as the STET spec's `bicFi` pattern accepts it (NWM-19). */
export const BIC_PATTERN = /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/;

/** Upper case, spaces removed; null for an empty value (no BIC known). */
export function normalizeBic(raw: string | null | undefined): string | null {
  const bic = (raw ?? '').replace(/\s+/g, '').toUpperCase();
  return bic === '' ? null : bic;
}

export function isValidBic(bic: string): boolean {
  return BIC_PATTERN.test(bic);
}
