/**
 * Verification of Payee (VoP, Regulation (EU) 2024/886, Art. 5c): the check of
 * a payee's name against the account the payment goes to, and its four
 * results as the EPC's VOP scheme names them.
 */
export const VOP_RESULTS = ['MTCH', 'CMTC', 'NMTC', 'NOAP'] as const;
/** `MTCH` match, `CMTC` close match (the payee's bank returns the name it holds), `NMTC` no match, `NOAP` check not possible. */
export type VopResult = (typeof VOP_RESULTS)[number];

export const VOP_RESULT_LABELS: Readonly<Record<VopResult, string>> = {
  MTCH: 'Match',
  CMTC: 'Close match',
  NMTC: 'No match',
  NOAP: 'Check not possible',
};

export function isVopResult(v: unknown): v is VopResult {
  return (VOP_RESULTS as readonly unknown[]).includes(v);
}

/** What is checked: exactly the IBAN and name the payment would carry. */
export interface PayeeCheckRequest {
  /** Electronic format (no spaces, upper case). */
  iban: string;
  /** The creditor name as the payment request carries it. */
  name: string;
  /** The supplier's VAT number when Odoo has one: lets the payee's bank match a legal person on its identifier. */
  organisationId?: string | null;
}

/** The answer for one (IBAN, name): the evidence stored on the Odoo bank account. */
export interface PayeeCheck {
  iban: string;
  name: string;
  result: VopResult;
  /** The name the payee's bank holds: given with a close match only (EPC: never revealed otherwise). */
  matchedName: string | null;
  /** The provider's reference of this check (quote it to the provider; evidence of the check). */
  reference: string;
  /** When the provider answered, `YYYY-MM-DD HH:MM:SS` UTC (as Odoo stores datetimes). */
  checkedAt: string;
  /** The responding bank's reason with NOAP (e.g. AC01 unknown account, NOAP its bank takes no part), when given. */
  reasonCode?: string | null;
}

/** One (IBAN, name) pair: the key of the cache and of one request to the provider. */
export function payeeKey(p: { iban: string; name: string }): string {
  return `${p.iban}\n${p.name}`;
}
