/**
 * "Bank payments" inside Odoo, made by `stetpay install` (administrator): a
 * list of vendor bills with stetpay's columns, a window action opening it, a
 * menu under the Accounting/Invoicing app (`account.menu_finance`) and shared
 * saved filters (ir.filters with no user) for what each person looks for.
 * Idempotent: each is found by its name and left as is when there.
 */
import type { OdooClient, OdooMajorVersion } from './odoo-client.js';
import { odooDialect } from './odoo-dialect.js';

export const BANK_PAYMENTS = 'Bank payments';
export const BANK_PAYMENTS_LIST_VIEW = 'account.move.list.stetpay';

/** The list of bills with stetpay's columns (18 calls the root `list`, 16/17 `tree`). */
export function bankPaymentsListArch(version: OdooMajorVersion): string {
  const tag = odooDialect(version).listTag;
  return `<${tag} string="${BANK_PAYMENTS}" create="false">
  <field name="name"/>
  <field name="partner_id"/>
  <field name="invoice_date_due"/>
  <field name="amount_residual" string="Amount due"/>
  <field name="currency_id"/>
  <field name="x_stet_status"/>
  <field name="x_stet_approval_ids" string="Approved by" widget="many2many_tags"/>
  <field name="x_stet_requested_execution_date"/>
  <field name="x_stet_consent_url" widget="url"/>
  <field name="x_stet_vop_result"/>
  <field name="x_stet_status_reason" optional="hide"/>
</${tag}>`;
}

const VENDOR_BILLS = "('move_type', '=', 'in_invoice')";
const OPEN = "('state', '=', 'posted'), ('payment_state', 'in', ['not_paid', 'partial'])";

/** The holds an approver resolves (Approve for payment, or Confirm bank account): docs/rules.md. */
export const APPROVER_HOLD_CODES = ['APPROVAL_MISSING', 'APPROVAL_CHANGED', 'APPROVER_NOT_ALLOWED', 'APPROVED_BY_AUTHOR', 'APPROVED_BY_ACCOUNT_CHANGER', 'SECOND_APPROVAL_MISSING', 'ACCOUNT_RECENTLY_CHANGED'] as const;

/** A Polish-notation OR of domain terms. */
function anyOf(terms: readonly string[]): string {
  return [...terms.slice(1).map(() => "'|'"), ...terms].join(', ');
}

/** The shared filters: name -> domain (a Python expression the web client evaluates). */
export const BANK_PAYMENT_FILTERS: readonly { name: string; domain: string }[] = [
  // not ticked yet, or held for a reason an approver acts on (its code leads the reason: codes, not wording)
  { name: 'To approve', domain: `[${VENDOR_BILLS}, ${OPEN}, '|', ('x_stet_approved', '=', False), '&', ('x_stet_status', '=', 'held'), ${anyOf(APPROVER_HOLD_CODES.map((c) => `('x_stet_status_reason', 'like', '${c}: ')`))}]` },
  { name: 'Approved, waiting for the run', domain: `[${VENDOR_BILLS}, ${OPEN}, ('x_stet_approved', '=', True), ('x_stet_status', 'in', [False, 'held'])]` },
  { name: 'Waiting for the signatory', domain: `[${VENDOR_BILLS}, '|', ('x_stet_status', '=', 'submitted'), '&', ('x_stet_status', '=', 'queued'), ('x_stet_status_reason', '=like', 'Waiting for the signatory%')]` },
  { name: 'Needs review', domain: `[${VENDOR_BILLS}, ('x_stet_status', '=', 'needs_review')]` },
  { name: 'Rejected', domain: `[${VENDOR_BILLS}, ('x_stet_status', 'in', ['rejected', 'expired'])]` },
  { name: 'Executed this month', domain: `[${VENDOR_BILLS}, ('x_stet_status', '=', 'executed'), ('x_stet_updated_at', '>=', (context_today() - relativedelta(day=1)).strftime('%Y-%m-%d'))]` },
];

export interface MenuOutcome {
  listView: 'created' | 'existing' | 'updated';
  action: 'created' | 'existing';
  menu: 'created' | 'existing' | 'skipped';
  filters: { created: string[]; existing: string[]; updated: string[] };
}

type ViewInstaller = (spec: { name: string; model: string; arch: string; type: 'form' | 'list' }) => Promise<'created' | 'existing' | 'updated' | 'skipped'>;

export async function installBankPaymentsMenu(client: OdooClient, installView: ViewInstaller): Promise<MenuOutcome> {
  const listType = odooDialect(client.version).listTag;
  const listView = await installView({ name: BANK_PAYMENTS_LIST_VIEW, model: 'account.move', arch: bankPaymentsListArch(client.version), type: 'list' });
  const [viewId] = await client.call<number[]>('ir.ui.view', 'search', [[['name', '=', BANK_PAYMENTS_LIST_VIEW], ['model', '=', 'account.move']]]);
  const actions = await client.call<number[]>('ir.actions.act_window', 'search', [[['name', '=', BANK_PAYMENTS], ['res_model', '=', 'account.move']]]);
  let actionId = actions[0];
  if (actionId === undefined) {
    actionId = await client.call<number>('ir.actions.act_window', 'create', [{
      name: BANK_PAYMENTS,
      res_model: 'account.move',
      view_mode: `${listType},form`,
      ...(viewId ? { view_id: viewId } : {}),
      domain: `[${VENDOR_BILLS}]`,
      context: "{'default_move_type': 'in_invoice'}",
    }]);
  }
  const [, root] = await client.call<[string, number | false]>('ir.model.data', 'check_object_reference', ['account', 'menu_finance'], undefined, { retry: 'read' }).catch(() => ['', false] as [string, false]);
  let menu: MenuOutcome['menu'] = 'skipped';
  if (root) {
    const found = await client.call<number[]>('ir.ui.menu', 'search', [[['name', '=', BANK_PAYMENTS], ['parent_id', '=', root]]], { context: { active_test: false } });
    if (found.length) menu = 'existing';
    else {
      await client.call('ir.ui.menu', 'create', [{ name: BANK_PAYMENTS, parent_id: root, action: `ir.actions.act_window,${actionId}`, sequence: 4 }]);
      menu = 'created';
    }
  }
  const have = await client.call<{ id: number; name: string; domain: string }[]>('ir.filters', 'search_read', [[['model_id', '=', 'account.move'], ['action_id', '=', actionId], ['user_id', '=', false]]], { fields: ['name', 'domain'], context: { active_test: false } });
  const missing = BANK_PAYMENT_FILTERS.filter((f) => !have.some((h) => h.name === f.name));
  if (missing.length) await client.call('ir.filters', 'create', [missing.map((f) => ({ name: f.name, model_id: 'account.move', action_id: actionId, user_id: false, domain: f.domain, context: '{}', sort: '[]' }))]);
  // an older stetpay's domain is brought up to date (To approve gained the held bills)
  const updated: string[] = [];
  for (const f of BANK_PAYMENT_FILTERS) {
    const old = have.find((h) => h.name === f.name && h.domain !== f.domain);
    if (!old) continue;
    await client.call('ir.filters', 'write', [[old.id], { domain: f.domain }]);
    updated.push(f.name);
  }
  return {
    listView: listView === 'skipped' ? 'existing' : listView,
    action: actions.length ? 'existing' : 'created',
    menu,
    filters: { created: missing.map((f) => f.name), existing: BANK_PAYMENT_FILTERS.filter((f) => !missing.includes(f) && !updated.includes(f.name)).map((f) => f.name), updated },
  };
}
