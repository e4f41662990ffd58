/**
 * `stetpay install`: the `x_stet_*` fields on account.move (one create call, so
 * Odoo reloads its registry once) and a "Bank payment" page on the bill form,
 * shown on vendor bills and refunds only. Idempotent: what exists is left as
 * is (a page from an older stetpay is brought up to date).
 */
import { OdooAccessError } from './errors/odoo-access-error.js';
import { isOdooError } from './errors/odoo-error.js';
import type { OdooClient, OdooMajorVersion } from './odoo-client.js';
import { STET_FIELDS } from './stet-field-definitions.js';

export interface InstallResult {
  created: string[];
  existing: string[];
  /** Options added to a selection field that already existed (`x_stet_status.withdrawn`): a newer stetpay's statuses. */
  options: string[];
  /** The inherited form view: created now, already there, brought up to date, or not possible (no base form). */
  view: 'created' | 'existing' | 'updated' | 'skipped';
}

export const STETPAY_VIEW_NAME = 'account.move.form.stetpay';

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
          <field name="x_stet_consent_deadline" readonly="1"/>
        </group>
        <group string="Bank references">
          <field name="x_stet_end_to_end_id" readonly="1"/>
          <field name="x_stet_payment_information_id" readonly="1"/>
          <field name="x_stet_resource_id" readonly="1"/>
          <field name="x_stet_requested_execution_date" readonly="1"/>
          <field name="x_stet_attempt" readonly="1"/>
          <field name="x_stet_updated_at" readonly="1"/>
        </group>
        <group string="Reserved for the bank">
          <field name="x_stet_reserved_iban" readonly="1"/>
          <field name="x_stet_reserved_amount" readonly="1"/>
          <field name="x_stet_reserved_currency" readonly="1"/>
          <field name="x_stet_closed_attempt" readonly="1"/>
          <field name="x_stet_request_members" readonly="1"/>
        </group>
      </group>
      <field name="x_stet_status_reason" readonly="1"/>
    </page>
  </xpath>
</data>`;

/**
 * The one stetpay command that needs more than an invoicing user: it reads
 * ir.model and creates ir.model.fields (Administration / Access Rights) and a
 * view (Administration / Settings). Any refusal says so, and who should run it.
 */
function rightsError(client: OdooClient, e: unknown, what: string): unknown {
  if (e instanceof OdooAccessError && !(e.cause instanceof OdooAccessError)) {
    return new OdooAccessError(
      `Odoo user ${client.username} needs Settings administrator (base.group_system) to ${what}: \`stetpay install\` alone needs these rights. ` +
        `Ask an administrator to run it once with their own login and API key; the daily commands then run as ${client.username}. Odoo said: ${e.message.split('\n')[0]}`,
      { ...(e.call ? { call: e.call } : {}), faultCode: 4, cause: e },
    );
  }
  return e;
}

export async function installFields(client: OdooClient): Promise<InstallResult> {
  try {
    return await install(client);
  } catch (e) {
    throw rightsError(client, e, 'create fields on vendor bills');
  }
}

async function install(client: OdooClient): Promise<InstallResult> {
  const models = await client.call<{ id: number }[]>('ir.model', 'search_read', [[['model', '=', 'account.move']]], { fields: ['id'], limit: 1 });
  const modelId = models[0]?.id;
  if (!modelId) throw new OdooAccessError('Odoo has no account.move model: is the Invoicing/Accounting app installed?');
  const existingRows = await client.call<{ id: number; name: string }[]>('ir.model.fields', 'search_read', [[['model_id', '=', modelId], ['name', 'in', STET_FIELDS.map((f) => f.name)]]], { fields: ['name'] });
  const existing = new Set(existingRows.map((r) => r.name));
  const missing = STET_FIELDS.filter((f) => !existing.has(f.name));
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
    }));
    await client.call('ir.model.fields', 'create', [vals]);
  }
  const options = await installMissingOptions(client, existingRows).catch((e: unknown) => {
    throw rightsError(client, e, 'add the new statuses to the Bank payment status field');
  });
  const view = await installView(client).catch((e: unknown) => {
    throw rightsError(client, e, 'add the Bank payment page to the bill form');
  });
  return { created: missing.map((f) => f.name), existing: STET_FIELDS.filter((f) => existing.has(f.name)).map((f) => f.name), options, view };
}

/**
 * A selection field created by an older stetpay lacks the newer options (the
 * status `withdrawn`): they are added as `ir.model.fields.selection` rows,
 * after the existing ones. Odoo reloads the model when such a row is created
 * for a manual field (base/models/ir_model.py, IrModelSelection.create).
 */
async function installMissingOptions(client: OdooClient, existingRows: { id: number; name: string }[]): Promise<string[]> {
  const selections = STET_FIELDS.filter((f) => f.selection).flatMap((f) => {
    const row = existingRows.find((r) => r.name === f.name);
    return row ? [{ def: f, fieldId: row.id }] : [];
  });
  if (selections.length === 0) return [];
  const rows = await client.call<{ field_id: [number, string] | number; value: string }[]>('ir.model.fields.selection', 'search_read', [[['field_id', 'in', selections.map((s) => s.fieldId)]]], { fields: ['field_id', 'value'] });
  const have = new Set(rows.map((r) => `${Array.isArray(r.field_id) ? r.field_id[0] : r.field_id}:${r.value}`));
  const vals = selections.flatMap(({ def, fieldId }) =>
    def.selection!.flatMap(([value, name], i) => (have.has(`${fieldId}:${value}`) ? [] : [{ def, value, vals: { field_id: fieldId, value, name, sequence: i } }])),
  );
  if (vals.length === 0) return [];
  await client.call('ir.model.fields.selection', 'create', [vals.map((v) => v.vals)]);
  return vals.map((v) => `${v.def.name}.${v.value}`);
}

async function installView(client: OdooClient): Promise<InstallResult['view']> {
  const arch = viewArch(client.version);
  // archived ones too: a page someone archived is not created again
  const found = await client.call<{ id: number; arch_db: string | false }[]>('ir.ui.view', 'search_read', [[['name', '=', STETPAY_VIEW_NAME], ['model', '=', 'account.move']]], {
    fields: ['arch_db'],
    context: { active_test: false },
  });
  if (found[0]?.arch_db === arch) return 'existing';
  try {
    if (found[0]) {
      await client.call('ir.ui.view', 'write', [[found[0].id], { arch_db: arch }]);
      return 'updated';
    }
    const [, parent] = await client.call<[string, number | false]>('ir.model.data', 'check_object_reference', ['account', 'view_move_form'], undefined, { retry: 'read' });
    if (!parent) return 'skipped';
    await client.call('ir.ui.view', 'create', [{ name: STETPAY_VIEW_NAME, model: 'account.move', inherit_id: parent, mode: 'extension', type: 'form', arch_db: arch, priority: 99 }]);
  } catch (e) {
    if (isOdooError(e) && !(e instanceof OdooAccessError)) return 'skipped'; // the fields work without the page
    throw e;
  }
  return 'created';
}
