import type { BankProfile } from './bank-profile.js';
import { NWM_18919 } from './nwm-18919.js';
import { STET_1_6 } from './stet-1-6.js';

/**
 * Every profile stetpay ships, by id: the one list of banks. The config schema's
 * enum and the CLI's choices are made from it (a test checks nothing else lists them).
 */
export const BANK_PROFILES: Readonly<Record<string, BankProfile>> = Object.freeze(
  Object.fromEntries([NWM_18919, STET_1_6].map((p) => [p.id, p])),
);

export class UnknownBankProfileError extends Error {
  override readonly name = 'UnknownBankProfileError';
  constructor(readonly profileId: string) {
    super(`unknown bank profile '${profileId}': use one of ${Object.keys(BANK_PROFILES).join(', ')}`);
  }
}

/** The profile `id`. @throws UnknownBankProfileError listing the known ids. */
export function getBankProfile(id: string): BankProfile {
  const profile = Object.hasOwn(BANK_PROFILES, id) ? BANK_PROFILES[id] : undefined;
  if (!profile) throw new UnknownBankProfileError(id);
  return profile;
}

export function bankProfileIds(): string[] {
  return Object.keys(BANK_PROFILES);
}
