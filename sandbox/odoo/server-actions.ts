/**
 * The Python code of server actions, as far as the dev server can run it: it
 * has no Python, so it recognises the exact code texts stetpay installs and
 * runs a TypeScript implementation with the same effect, as the calling user
 * (Odoo's `run` evaluates the code with `records` = the active records and
 * `env` as that user: base/models/ir_actions.py `_get_eval_context`,
 * `_run_action_code_multi`). Any other code faults. The texts are copied here
 * on purpose (the dev server imports nothing of stetpay's): stetpay's
 * connector/odoo/approval-field-definitions.ts holds the same, and a test runs
 * what install creates.
 */
import { serverFault, userError } from './faults.js';
import { postMessage } from './mail.js';
import type { DevUser, OdooStore } from './store.js';

export interface ActionRun {
  store: OdooStore;
  user: DevUser;
  model: string;
  activeIds: number[];
  /** The ORM's write and create as the user (access rights, record rules). */
  write(model: string, ids: number[], vals: Record<string, unknown>): void;
  create(model: string, vals: Record<string, unknown>): number;
}

const APPROVE_FOR_PAYMENT = `# stetpay: Approve for payment (v2)
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

const CONFIRM_BANK_ACCOUNT = `# stetpay: Confirm bank account (v2)
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

const IMPLEMENTATIONS: Record<string, (r: ActionRun) => void> = {
  [APPROVE_FOR_PAYMENT]: (r) => {
    const s = r.store;
    for (const id of r.activeIds) {
      const v = (name: string) => s.value('account.move', id, name);
      const bank = v('partner_bank_id') as number | false;
      const acc = (name: string) => (bank ? s.value('res.partner.bank', bank, name) : false);
      const amount = Number(v('amount_residual'));
      const currency = String(s.value('res.currency', v('currency_id') as number, 'name'));
      const userName = String(s.value('res.users', r.user.id, 'name'));
      r.create('x_stet_approval', {
        x_name: `${String(v('name'))} approved by ${userName}`,
        x_move_id: id,
        x_partner_id: v('commercial_partner_id'),
        x_bank_account_id: bank,
        x_iban: acc('acc_number') || false,
        x_holder: acc('acc_holder_name') || false,
        x_amount: amount,
        x_currency: currency,
        x_move_state: v('state'),
        x_company_id: v('company_id'),
      });
      r.write('account.move', [id], { x_stet_approved: true });
      postMessage(s, r.user, 'account.move', [id], { body: `Approved for payment by ${userName}: ${amount.toFixed(2)} ${currency} to ${String(acc('acc_number') || 'no account')}` });
    }
  },
  [CONFIRM_BANK_ACCOUNT]: (r) => {
    const s = r.store;
    for (const id of r.activeIds) {
      if (s.value('res.partner.bank', id, 'write_uid') === r.user.id || s.value('res.partner.bank', id, 'create_uid') === r.user.id) throw userError('You created or last changed this bank account: another approver must confirm it.');
      const userName = String(s.value('res.users', r.user.id, 'name'));
      const number = s.value('res.partner.bank', id, 'acc_number');
      r.create('x_stet_account_check', {
        x_name: `${String(number)} confirmed by ${userName}`,
        x_bank_account_id: id,
        x_iban: number,
        x_holder: s.value('res.partner.bank', id, 'acc_holder_name') || false,
      });
    }
  },
};

/** The one line `records.write({...})` with plain values, as a dict. */
function pythonLiteral(text: string): Record<string, unknown> {
  const json = text
    .replace(/'((?:[^'\\]|\\.)*)'/g, (_, s: string) => JSON.stringify(s.replace(/\\'/g, "'")))
    .replace(/\bTrue\b/g, 'true')
    .replace(/\bFalse\b/g, 'false')
    .replace(/\bNone\b/g, 'false');
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw unknownCode();
  }
}

function unknownCode(): Error {
  return serverFault('ValueError', 'The dev server runs only the server actions stetpay installs and the one line `records.write({...})` with plain values', 'odoo/tools/safe_eval.py');
}

/** Runs the code of a `code` server action on the active records, as `r.user`. */
export function runActionCode(code: string, r: ActionRun): void {
  const known = IMPLEMENTATIONS[code];
  if (known) return known(r);
  const m = /^\s*records\.write\((\{.*\})\)\s*$/s.exec(code);
  if (!m) throw unknownCode();
  if (r.activeIds.length) r.write(r.model, r.activeIds, pythonLiteral(m[1]!));
}
