/**
 * Where stetpay keeps the Verification of Payee evidence in Odoo: a model of
 * its own, `x_stet_payee_check`, created by `stetpay install` (ir.model, state
 * manual), one record per (bank account, IBAN, name) checked. The invoicing
 * (Billing) group may read, create and write these records, never delete them
 * (ir.model.access rows made by install): the daily user records the checks and
 * a person confirms a payee there, without the "Contact Creation" right that
 * writing on res.partner.bank needs (and that would also let it change IBANs).
 *
 * Shown on the bank account (`x_stet_payee_check_ids`, a one2many) and on the
 * bill: `x_stet_payee_check_id` is the check its payment was decided under
 * (written by the run), the `x_stet_vop_*` fields read through it. Who confirmed
 * a payee is the record's `write_uid`, which Odoo alone sets: stetpay never
 * writes a check whose answer has not changed, so that stays the person's.
 */
import { VOP_RESULT_LABELS, VOP_RESULTS } from '../model/payee-check.js';
import type { StetFieldDefinition } from './stet-field-definitions.js';

export const PAYEE_CHECK_MODEL = 'x_stet_payee_check';
/** Its ir.model name (Odoo's messages call the model so). */
export const PAYEE_CHECK_MODEL_DESCRIPTION = 'Payee check (stetpay)';

const RESULT_SELECTION = VOP_RESULTS.map((r) => [r, VOP_RESULT_LABELS[r]] as const);

/** The model's fields. `x_name` is the one Odoo adds to a custom model (its display name): stetpay writes "IBAN · name". */
export const PAYEE_CHECK_FIELDS: readonly StetFieldDefinition[] = [
  { name: 'x_name', ttype: 'char', label: 'Name', help: 'The account and name checked.' },
  { name: 'x_bank_account_id', ttype: 'many2one', relation: 'res.partner.bank', onDelete: 'set null', label: 'Bank account', help: "The supplier's bank account checked." },
  { name: 'x_iban', ttype: 'char', label: 'IBAN checked', help: 'The IBAN stetpay checked (the one the payment carries).' },
  { name: 'x_payee_name', ttype: 'char', label: 'Name checked', help: 'The payee name stetpay checked (the one the payment carries).' },
  { name: 'x_result', ttype: 'selection', label: 'Payee check (VoP)', help: 'The Verification of Payee result for this IBAN and name: Match, Close match, No match or Check not possible. Written by stetpay.', selection: RESULT_SELECTION },
  { name: 'x_matched_name', ttype: 'char', label: "Name at the payee's bank", help: "With a close match, the name the payee's bank holds for this IBAN (never given otherwise)." },
  { name: 'x_reason_code', ttype: 'char', label: 'Reason (check not possible)', help: "The responding bank's reason with Check not possible, when given (AC01 unknown account, NOPT its bank takes no part...)." },
  { name: 'x_reference', ttype: 'char', label: 'Check reference', help: "The provider's reference of the check that gave this result: the evidence to quote. Each payment's note names the check it went under." },
  { name: 'x_checked_at', ttype: 'datetime', label: 'Checked on', help: 'When the provider gave this result (a later check with the same result changes nothing here; each payment\'s note says when it was checked).' },
  {
    name: 'x_confirmed', ttype: 'boolean', label: 'Payee confirmed',
    help: "Tick only after checking with the supplier, on a number you already had, that this account is theirs: stetpay then pays despite a close match, a no match or a check not possible. Whoever makes the check's last change while it is ticked is the person who confirmed it (Odoo records who: nobody can type it in). stetpay clears it when the check's result changes.",
  },
];

/** On res.partner.bank: the account's checks (created after the model's fields, as Odoo wants the many2one first). */
export const PAYEE_ACCOUNT_FIELDS: readonly StetFieldDefinition[] = [
  { name: 'x_stet_payee_check_ids', ttype: 'one2many', relation: PAYEE_CHECK_MODEL, relationField: 'x_bank_account_id', label: 'Payee checks (VoP)', help: 'The Verification of Payee checks stetpay made for this account, newest first.' },
];

function fieldOf(name: string): StetFieldDefinition {
  return PAYEE_CHECK_FIELDS.find((f) => f.name === name)!;
}

/** A field of the bill that shows one of its payee check's (related, read-only). */
function onBill(name: string, target: StetFieldDefinition): StetFieldDefinition {
  return { ...target, name, related: `x_stet_payee_check_id.${target.name}`, help: `${target.help} (From the bill's payee check.)` };
}

/**
 * On account.move: the check the bill's payment was decided under, and what it
 * says (related, read-only). Who confirmed is the check's last writer (`write_uid`,
 * set by Odoo alone), shown when the payee is confirmed.
 */
export const PAYEE_BILL_FIELDS: readonly StetFieldDefinition[] = [
  { name: 'x_stet_payee_check_id', ttype: 'many2one', relation: PAYEE_CHECK_MODEL, onDelete: 'set null', label: 'Payee check (VoP)', help: "The Verification of Payee check this bill's payment was decided under (written by stetpay's run): open it to confirm the payee." },
  onBill('x_stet_vop_result', fieldOf('x_result')),
  onBill('x_stet_vop_name', fieldOf('x_matched_name')),
  onBill('x_stet_vop_checked_at', fieldOf('x_checked_at')),
  onBill('x_stet_vop_confirmed', fieldOf('x_confirmed')),
  onBill('x_stet_vop_confirmed_by', { name: 'write_uid', ttype: 'many2one', relation: 'res.users', label: 'Payee confirmed by', help: 'The Odoo user who made the last change of the payee check: with Payee confirmed ticked, the person who confirmed the payee.' }),
];

/** Who may use the model: the invoicing group reads, creates and writes (no delete: evidence stays); the read-only accounting group reads. */
export const PAYEE_CHECK_ACCESS: readonly { group: string; name: string; read: boolean; write: boolean; create: boolean; unlink: boolean }[] = [
  { group: 'account.group_account_invoice', name: 'stetpay payee check: invoicing', read: true, write: true, create: true, unlink: false },
  { group: 'account.group_account_readonly', name: 'stetpay payee check: read-only accounting', read: true, write: false, create: false, unlink: false },
];

export const PAYEE_CHECK_FIELD_NAMES = PAYEE_CHECK_FIELDS.map((f) => f.name);
export const PAYEE_ACCOUNT_FIELD_NAMES = PAYEE_ACCOUNT_FIELDS.map((f) => f.name);
export const PAYEE_BILL_FIELD_NAMES = PAYEE_BILL_FIELDS.map((f) => f.name);
