/**
 * The Verification of Payee evidence stetpay keeps in Odoo: on the supplier's
 * bank account (`res.partner.bank`), where a person also confirms a payee; and,
 * related (not stored), on the bill, whose Bank payment page shows the result
 * for its recipient account. Created by `stetpay install`.
 */
import { VOP_RESULT_LABELS, VOP_RESULTS } from '../model/payee-check.js';
import type { StetFieldDefinition } from './stet-field-definitions.js';

const RESULT_SELECTION = VOP_RESULTS.map((r) => [r, VOP_RESULT_LABELS[r]] as const);

export const PAYEE_ACCOUNT_FIELDS: readonly StetFieldDefinition[] = [
  { name: 'x_stet_vop_result', ttype: 'selection', label: 'Payee check (VoP)', help: "The Verification of Payee result for this IBAN and the name stetpay sends: Match, Close match, No match or Check not possible. Written by stetpay.", selection: RESULT_SELECTION },
  { name: 'x_stet_vop_name', ttype: 'char', label: "Name at the payee's bank", help: "With a close match, the name the payee's bank holds for this IBAN (never given otherwise)." },
  { name: 'x_stet_vop_checked_name', ttype: 'char', label: 'Name checked', help: 'The payee name stetpay checked (the one the payment carries).' },
  { name: 'x_stet_vop_checked_iban', ttype: 'char', label: 'IBAN checked', help: 'The IBAN stetpay checked.' },
  { name: 'x_stet_vop_checked_at', ttype: 'datetime', label: 'Payee checked on', help: 'When the Verification of Payee provider answered.' },
  { name: 'x_stet_vop_reference', ttype: 'char', label: 'Payee check reference', help: "The provider's reference of the check: the evidence to quote." },
  {
    name: 'x_stet_vop_confirmed', ttype: 'boolean', label: 'Payee confirmed', tracking: 100,
    help: "Tick only after checking with the supplier, on a number you already had, that this account is theirs: stetpay then pays despite a close match, a no match or a check not possible. stetpay clears it when the check's result changes.",
  },
  { name: 'x_stet_vop_confirmed_by', ttype: 'char', label: 'Payee confirmed by', help: 'Who ticked Payee confirmed (the user of that change in Odoo), recorded by stetpay.' },
];

/** Shown on the bill: the same fields, read through its recipient account. */
export const PAYEE_BILL_FIELDS: readonly StetFieldDefinition[] = ['x_stet_vop_result', 'x_stet_vop_name', 'x_stet_vop_checked_at', 'x_stet_vop_confirmed_by'].map((name) => {
  const target = PAYEE_ACCOUNT_FIELDS.find((f) => f.name === name)!;
  return { ...target, tracking: undefined, related: `partner_bank_id.${name}`, help: `${target.help} (From the bill's recipient bank account.)` };
});

export const PAYEE_ACCOUNT_FIELD_NAMES = PAYEE_ACCOUNT_FIELDS.map((f) => f.name);
export const PAYEE_BILL_FIELD_NAMES = PAYEE_BILL_FIELDS.map((f) => f.name);
