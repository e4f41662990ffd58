/**
 * `stetpay install`: the `x_stet_*` fields on account.move (one create call, so
 * Odoo reloads its registry once) and a "Bank payment" page on the bill form,
 * shown on vendor bills and refunds only; the Verification of Payee fields on
 * res.partner.bank (created first: the bill's related fields point at them) and
 * their group on the bank account form. Idempotent: what exists is left as
 * is (a page from an older stetpay is brought up to date, a status it lacks is
 * added to its selection).
 */
import { OdooAccessError } from './errors/odoo-access-error.js';
import { isOdooError } from './errors/odoo-error.js';
import type { OdooClient, OdooMajorVersion } from './odoo-client.js';
import { PAYEE_ACCOUNT_FIELDS, PAYEE_BILL_FIELDS } from './payee-field-definitions.js';
import { STET_FIELDS, type StetFieldDefinition } from './stet-field-definitions.js';

export interface InstallResult {
  created: string[];
  existing: string[];
  /** The inherited form view: created now, already there, brought up to date, or not possible (no base form). */
  view: ViewOutcome;
  /** The Verification of Payee fields on res.partner.bank. */
  payeeFields: { created: string[]; existing: string[] };
  /** Options added to selection fields an older stetpay created, as `field:value` (e.g. `x_stet_status:held`). */
  optionsAdded: string[];
  /** The Verification of Payee group on the bank account form. */
  accountView: ViewOutcome;
}

type ViewOutcome = 'created' | 'existing' | 'updated' | 'skipped';

export const STETPAY_VIEW_NAME = 'account.move.form.stetpay';
export const STETPAY_ACCOUNT_VIEW_NAME = 'res.partner.bank.form.stetpay';

/**
 * The page only on vendor bills and refunds. 16 takes `attrs` (it evaluates
 * `invisible` as a constant); 17 dropped `attrs` for a Python expression in
 * `invisible` and refuses the old form.
 */
function vendorBillsOnly(version: OdooMajorVersion): string {
  return version >= 17 ? `invisible="move_type not in ('in_invoice', 'in_refund')"` : `attrs="{'invisible': [('move_type', 'not in', ('in_invoice', 'in_refund'))]}"`;
}

/** The inherited view's arch for this Odoo version. */
export const viewArch = (version: OdooMajorVersion): string => `<data>
  <xpath expr="//notebook" position="inside">
    <page string="Bank payment" name="stetpay_bank_payment" ${vendorBillsOnly(version)}>
      <group>
        <group string="Approval">
          <field name="x_stet_approved"/>
          <field name="x_stet_status" readonly="1"/>
          <field name="x_stet_bank_status" readonly="1"/>
          <field name="x_stet_consent_url" widget="url" readonly="1"/>
        </group>
        <group string="Bank references">
          <field name="x_stet_end_to_end_id" readonly="1"/>
          <field name="x_stet_payment_information_id" readonly="1"/>
          <field name="x_stet_resource_id" readonly="1"/>
          <field name="x_stet_requested_execution_date" readonly="1"/>
          <field name="x_stet_attempt" readonly="1"/>
          <field name="x_stet_updated_at" readonly="1"/>
        </group>
      </group>
      <field name="x_stet_status_reason" readonly="1"/>
      <group string="Payee check (Verification of Payee) of the recipient account">
        <field name="x_stet_vop_result" readonly="1"/>
        <field name="x_stet_vop_name" readonly="1"/>
        <field name="x_stet_vop_checked_at" readonly="1"/>
        <field name="x_stet_vop_confirmed_by" readonly="1"/>
      </group>
    </page>
  </xpath>
</data>`;

/** The bank account form's group: the evidence, read-only, and the box a person ticks to confirm a payee. No modifier: one arch for 16, 17 and 18. */
export const accountViewArch = (): string => `<data>
  <xpath expr="//sheet" position="inside">
    <group string="Payee check (Verification of Payee, stetpay)" name="stetpay_vop">
      <group>
        <field name="x_stet_vop_result" readonly="1"/>
        <field name="x_stet_vop_name" readonly="1"/>
        <field name="x_stet_vop_checked_name" readonly="1"/>
        <field name="x_stet_vop_checked_iban" readonly="1"/>
      </group>
      <group>
        <field name="x_stet_vop_checked_at" readonly="1"/>
        <field name="x_stet_vop_reference" readonly="1"/>
        <field name="x_stet_vop_confirmed"/>
        <field name="x_stet_vop_confirmed_by" readonly="1"/>
      </group>
    </group>
  </xpath>
</data>`;

function rightsError(client: OdooClient, e: unknown, what: string): unknown {
  if (e instanceof OdooAccessError) {
    return new OdooAccessError(
      `Odoo user ${client.username} needs Settings administrator (base.group_system) to ${what}: ask an administrator to run stetpay install, or give this user Settings rights for the install. Odoo said: ${e.message.split('\n')[0]}`,
      { ...(e.call ? { call: e.call } : {}), faultCode: 4, cause: e },
    );
  }
  return e;
}

export async function installFields(client: OdooClient): Promise<InstallResult> {
  const models = await client.call<{ id: number; model: string }[]>('ir.model', 'search_read', [[['model', 'in', ['account.move', 'res.partner.bank']]]], { fields: ['model'] });
  const modelId = (name: string) => models.find((m) => m.model === name)?.id;
  const billModel = modelId('account.move');
  if (!billModel) throw new OdooAccessError('Odoo has no account.move model: is the Invoicing/Accounting app installed?');
  const accountModel = modelId('res.partner.bank');
  if (!accountModel) throw new OdooAccessError('Odoo has no res.partner.bank model: is the Invoicing/Accounting app installed?');
  const billFields = [...STET_FIELDS, ...PAYEE_BILL_FIELDS];
  const existingRows = await client.call<{ id: number; name: string; model: string }[]>(
    'ir.model.fields',
    'search_read',
    [[['model_id', 'in', [billModel, accountModel]], ['name', 'in', [...new Set([...billFields, ...PAYEE_ACCOUNT_FIELDS].map((f) => f.name))]]]],
    { fields: ['name', 'model'] },
  );
  const existingOn = (model: string) => new Map(existingRows.filter((r) => r.model === model).map((r) => [r.name, r.id]));
  // The account's fields first: the bill's related fields are checked against them.
  const payee = await createMissingFields(client, accountModel, PAYEE_ACCOUNT_FIELDS, existingOn('res.partner.bank'), 'create fields on bank accounts');
  const bill = await createMissingFields(client, billModel, billFields, existingOn('account.move'), 'create fields on vendor bills');
  const optionsAdded = await addMissingOptions(client, [
    ...selectionFieldsIn(billFields, existingOn('account.move')),
    ...selectionFieldsIn(PAYEE_ACCOUNT_FIELDS, existingOn('res.partner.bank')),
  ]);
  const view = await installView(client, { name: STETPAY_VIEW_NAME, model: 'account.move', parent: ['account', 'view_move_form'], arch: viewArch(client.version) }).catch((e: unknown) => {
    throw rightsError(client, e, 'add the Bank payment page to the bill form');
  });
  const accountView = await installView(client, { name: STETPAY_ACCOUNT_VIEW_NAME, model: 'res.partner.bank', parent: ['base', 'view_partner_bank_form'], arch: accountViewArch() }).catch((e: unknown) => {
    throw rightsError(client, e, 'add the payee check to the bank account form');
  });
  return { created: bill.created, existing: bill.existing, view, payeeFields: payee, optionsAdded, accountView };
}

/** Creates the fields of `defs` not in `existing`, in one call (Odoo reloads its registry once). */
async function createMissingFields(client: OdooClient, modelId: number, defs: readonly StetFieldDefinition[], existing: Map<string, number>, what: string): Promise<{ created: string[]; existing: string[] }> {
  const missing = defs.filter((f) => !existing.has(f.name));
  if (missing.length) {
    const vals = missing.map((f) => ({
      name: f.name,
      model_id: modelId,
      field_description: f.label,
      help: f.help,
      ttype: f.ttype,
      state: 'manual',
      copied: false,
      ...(f.selection ? { selection_ids: f.selection.map(([value, name], i) => [0, 0, { value, name, sequence: i }]) } : {}),
      ...(f.related ? { related: f.related, store: false, readonly: true } : {}),
      ...(f.tracking ? { tracking: f.tracking } : {}),
    }));
    try {
      await client.call('ir.model.fields', 'create', [vals]);
    } catch (e) {
      throw rightsError(client, e, what);
    }
  }
  return { created: missing.map((f) => f.name), existing: defs.filter((f) => existing.has(f.name)).map((f) => f.name) };
}

function selectionFieldsIn(defs: readonly StetFieldDefinition[], existing: Map<string, number>): { id: number; def: StetFieldDefinition }[] {
  return defs.filter((f) => f.selection && !f.related && existing.has(f.name)).map((def) => ({ id: existing.get(def.name)!, def }));
}

/**
 * Options a newer stetpay added to a selection it created before (a new
 * status): created in one call; Odoo sets the model up again after it.
 */
async function addMissingOptions(client: OdooClient, fields: { id: number; def: StetFieldDefinition }[]): Promise<string[]> {
  if (fields.length === 0) return [];
  const rows = await client.call<{ field_id: [number, string] | number; value: string }[]>('ir.model.fields.selection', 'search_read', [[['field_id', 'in', fields.map((f) => f.id)]]], { fields: ['field_id', 'value'] });
  const have = new Set(rows.map((r) => `${Array.isArray(r.field_id) ? r.field_id[0] : r.field_id}:${r.value}`));
  const vals = fields.flatMap(({ id, def }) => (def.selection ?? []).flatMap(([value, name], i) => (have.has(`${id}:${value}`) ? [] : [{ field_id: id, value, name, sequence: i, label: `${def.name}:${value}` }])));
  if (vals.length === 0) return [];
  try {
    await client.call('ir.model.fields.selection', 'create', [vals.map(({ label: _label, ...v }) => v)]);
  } catch (e) {
    throw rightsError(client, e, 'add the new statuses to the stetpay fields');
  }
  return vals.map((v) => v.label);
}

async function installView(client: OdooClient, spec: { name: string; model: string; parent: [module: string, xmlid: string]; arch: string }): Promise<ViewOutcome> {
  const { arch } = spec;
  // archived ones too: a page someone archived is not created again
  const found = await client.call<{ id: number; arch_db: string | false }[]>('ir.ui.view', 'search_read', [[['name', '=', spec.name], ['model', '=', spec.model]]], {
    fields: ['arch_db'],
    context: { active_test: false },
  });
  if (found[0]?.arch_db === arch) return 'existing';
  try {
    if (found[0]) {
      await client.call('ir.ui.view', 'write', [[found[0].id], { arch_db: arch }]);
      return 'updated';
    }
    const xmlids = await client.call<{ res_id: number }[]>('ir.model.data', 'search_read', [[['module', '=', spec.parent[0]], ['name', '=', spec.parent[1]]]], { fields: ['res_id'], limit: 1 });
    const parent = xmlids[0]?.res_id;
    if (!parent) return 'skipped';
    await client.call('ir.ui.view', 'create', [{ name: spec.name, model: spec.model, inherit_id: parent, mode: 'extension', type: 'form', arch_db: arch, priority: 99 }]);
  } catch (e) {
    if (isOdooError(e) && !(e instanceof OdooAccessError)) return 'skipped'; // the fields work without the page
    throw e;
  }
  return 'created';
}
