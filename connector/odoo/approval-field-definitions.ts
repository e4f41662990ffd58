/**
 * Where approvals live in Odoo: two models of stetpay's own, created by
 * `stetpay install` (ir.model, state manual, as the payee checks):
 *
 * - `x_stet_approval`: one record per approval of a bill, what was approved
 *   (supplier, account, IBAN, holder, amount due, currency, state); who and when
 *   are Odoo's `create_uid` and `create_date`, which no caller can set.
 * - `x_stet_account_check`: one record per confirmation of a supplier's bank
 *   account (its IBAN and holder then), by a person other than its last changer.
 *
 * The invoicing group reads and creates them, never changes or deletes them
 * (they are evidence); a record rule refuses a record created in another
 * user's name. People create them with two server actions (Action menu):
 * "Approve for payment" on bills and "Confirm bank account" on bank accounts;
 * their Python code runs as the person who clicks (ir.actions.server.run).
 */
import type { StetFieldDefinition } from './stet-field-definitions.js';

export const APPROVAL_MODEL = 'x_stet_approval';
export const ACCOUNT_CHECK_MODEL = 'x_stet_account_check';

export const APPROVAL_FIELDS: readonly StetFieldDefinition[] = [
  { name: 'x_name', ttype: 'char', label: 'Name', help: 'The bill and who approved it.' },
  { name: 'x_move_id', ttype: 'many2one', relation: 'account.move', onDelete: 'set null', label: 'Bill', help: 'The vendor bill approved.' },
  { name: 'x_partner_id', ttype: 'many2one', relation: 'res.partner', onDelete: 'set null', label: 'Supplier', help: "The bill's supplier (commercial partner) when approved." },
  { name: 'x_bank_account_id', ttype: 'many2one', relation: 'res.partner.bank', onDelete: 'set null', label: 'Recipient bank account', help: "The bill's recipient bank account when approved." },
  { name: 'x_iban', ttype: 'char', label: 'IBAN approved', help: 'The account number when approved.' },
  { name: 'x_holder', ttype: 'char', label: 'Account holder approved', help: 'The account holder name when approved.' },
  // Kept for the records of stetpay before 2026-12 only: a 32-bit integer in PostgreSQL, it overflows at
  // 21,474,836.48, so Approve for payment no longer writes it; x_amount (a float, Odoo's amount_residual as is) is compared in cents.
  { name: 'x_amount_cents', ttype: 'integer', label: 'Amount due approved (cents, old)', help: 'No longer written: stetpay compares the amount due approved (x_amount) in cents.' },
  { name: 'x_amount', ttype: 'float', label: 'Amount due approved', help: 'The amount due when approved (the bill\'s amount due as Odoo holds it): stetpay compares it in cents with the bill\'s.' },
  { name: 'x_currency', ttype: 'char', label: 'Currency', help: "The bill's currency when approved." },
  { name: 'x_move_state', ttype: 'char', label: 'Bill state approved', help: "The bill's state when approved (posted)." },
  { name: 'x_company_id', ttype: 'many2one', relation: 'res.company', onDelete: 'set null', label: 'Company', help: 'The company that pays the bill.' },
];

export const ACCOUNT_CHECK_FIELDS: readonly StetFieldDefinition[] = [
  { name: 'x_name', ttype: 'char', label: 'Name', help: 'The account and who confirmed it.' },
  { name: 'x_bank_account_id', ttype: 'many2one', relation: 'res.partner.bank', onDelete: 'set null', label: 'Bank account', help: 'The supplier bank account confirmed.' },
  { name: 'x_iban', ttype: 'char', label: 'IBAN confirmed', help: 'The account number confirmed.' },
  { name: 'x_holder', ttype: 'char', label: 'Account holder confirmed', help: 'The account holder name confirmed.' },
];

/** On account.move and res.partner.bank: the records, newest first (after the models' many2ones). */
export const APPROVAL_BILL_FIELDS: readonly StetFieldDefinition[] = [
  { name: 'x_stet_approval_ids', ttype: 'one2many', relation: APPROVAL_MODEL, relationField: 'x_move_id', label: 'Payment approvals', help: 'Who approved this bill for payment, when, and what they approved (Action > Approve for payment).' },
];
export const ACCOUNT_CHECK_ACCOUNT_FIELDS: readonly StetFieldDefinition[] = [
  { name: 'x_stet_account_check_ids', ttype: 'one2many', relation: ACCOUNT_CHECK_MODEL, relationField: 'x_bank_account_id', label: 'Account confirmations', help: 'Who confirmed this account is the supplier\'s, and when (Action > Confirm bank account).' },
];

/** Evidence: read and create, never write or delete. */
export const EVIDENCE_ACCESS: readonly { group: string; label: string; read: boolean; write: boolean; create: boolean; unlink: boolean }[] = [
  { group: 'account.group_account_invoice', label: 'invoicing', read: true, write: false, create: true, unlink: false },
  { group: 'account.group_account_readonly', label: 'read-only accounting', read: true, write: false, create: false, unlink: false },
];

/** ir.rule (global, on create only): a record is created in its creator's own name. */
export const OWN_NAME_RULE_DOMAIN = "[('create_uid', '=', user.id)]";

/**
 * The server actions' Python code. "Confirm bank account" posts no chatter note:
 * that needs write access to the account (res.partner.bank's `_mail_post_access`),
 * which the invoicing group lacks; the record is the evidence, listed on the account. The Odoo dev server runs exactly these texts
 * (it has no Python): change one here and in sandbox/odoo/server-actions.ts together.
 */
export const APPROVE_ACTION_NAME = 'Approve for payment';
export const APPROVE_ACTION_CODE = `# stetpay: Approve for payment (v2)
for move in records:
    bank = move.partner_bank_id
    env['x_stet_approval'].create({
        'x_name': '%s approved by %s' % (move.name, env.user.name),
        'x_move_id': move.id,
        'x_partner_id': move.commercial_partner_id.id,
        'x_bank_account_id': bank.id,
        'x_iban': bank.acc_number or False,
        'x_holder': bank.acc_holder_name or False,
        'x_amount': move.amount_residual,
        'x_currency': move.currency_id.name,
        'x_move_state': move.state,
        'x_company_id': move.company_id.id,
    })
    move.write({'x_stet_approved': True})
    move.message_post(body='Approved for payment by %s: %.2f %s to %s' % (env.user.name, move.amount_residual, move.currency_id.name, bank.acc_number or 'no account'))
`;

export const CONFIRM_ACCOUNT_ACTION_NAME = 'Confirm bank account';
export const CONFIRM_ACCOUNT_ACTION_CODE = `# stetpay: Confirm bank account (v2)
for account in records:
    if account.write_uid == env.user or account.create_uid == env.user:
        raise UserError('You created or last changed this bank account: another approver must confirm it.')
    env['x_stet_account_check'].create({
        'x_name': '%s confirmed by %s' % (account.acc_number, env.user.name),
        'x_bank_account_id': account.id,
        'x_iban': account.acc_number,
        'x_holder': account.acc_holder_name or False,
    })
`;

/** The custom models install creates, their fields first, then the one2manys on Odoo's models. */
export const EVIDENCE_MODELS = [
  { model: APPROVAL_MODEL, description: 'Payment approval (stetpay)', info: "Approvals of vendor bills for payment by stetpay: who approved what, when. Never changed.", fields: APPROVAL_FIELDS, back: { model: 'account.move', fields: APPROVAL_BILL_FIELDS } },
  { model: ACCOUNT_CHECK_MODEL, description: 'Bank account confirmation (stetpay)', info: "Confirmations that a supplier's bank account is theirs, by an approver who did not change it.", fields: ACCOUNT_CHECK_FIELDS, back: { model: 'res.partner.bank', fields: ACCOUNT_CHECK_ACCOUNT_FIELDS } },
] as const;

/**
 * Each action's group: with one, `run` checks only membership (without, it wants
 * write access to the model, which the invoicing group lacks on bank accounts).
 * `approvers` = the configured approvers' group: both actions are theirs (a
 * confirmation of a changed bank account counts only from an approver, APPROVAL-07).
 */
export const SERVER_ACTIONS = [
  { name: APPROVE_ACTION_NAME, model: 'account.move', code: APPROVE_ACTION_CODE, group: 'approvers' },
  { name: CONFIRM_ACCOUNT_ACTION_NAME, model: 'res.partner.bank', code: CONFIRM_ACCOUNT_ACTION_CODE, group: 'approvers' },
] as const;

export const APPROVAL_FIELD_NAMES = APPROVAL_FIELDS.map((f) => f.name);
