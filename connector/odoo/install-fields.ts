/**
 * `stetpay install`: the `x_stet_*` fields on account.move (one create call, so
 * Odoo reloads its registry once) and a "Bank payment" page on the bill form,
 * shown on vendor bills and refunds only; the Verification of Payee evidence:
 * the model `x_stet_payee_check` (ir.model, state manual), its fields, its
 * access rows for the invoicing group, its form, and its list on the bank
 * account form (payee-field-definitions.ts); the approvals and account
 * confirmations the same way, with their record rules and server actions
 * (approval-field-definitions.ts); Accounting > Bank payments (install-menu.ts). Idempotent: what exists is left as
 * is (a page from an older stetpay is brought up to date, a status it lacks is
 * added to its selection, an access row an administrator changed stays).
 */
import { isOdooError, OdooAccessError } from './errors.js';
import type { OdooClient, OdooMajorVersion } from './odoo-client.js';
import { installBankPaymentsMenu, type MenuOutcome } from './install-menu.js';
import { EVIDENCE_ACCESS, EVIDENCE_MODELS, OWN_NAME_RULE_DOMAIN, SERVER_ACTIONS } from './approval-field-definitions.js';
import { PAYEE_ACCOUNT_FIELDS, PAYEE_BILL_FIELDS, PAYEE_CHECK_ACCESS, PAYEE_CHECK_FIELDS, PAYEE_CHECK_MODEL, PAYEE_CHECK_MODEL_DESCRIPTION } from './payee-field-definitions.js';
import { STET_FIELDS, type StetFieldDefinition } from './stet-field-definitions.js';
import { odooDialect } from './odoo-dialect.js';

export interface InstallResult {
  /** The bill's fields (account.move) created now, and those already there. */
  created: string[];
  existing: string[];
  /** Options added to a selection field that already existed (`x_stet_status.withdrawn`): a newer stetpay's statuses. */
  options: string[];
  /** The inherited form view: created now, already there, brought up to date, or not possible (no base form). */
  view: ViewOutcome;
  /** The Verification of Payee evidence: the model, its fields, its access rows (by group), its form, the bank account's list of checks. */
  payeeChecks: {
    model: 'created' | 'existing';
    created: string[];
    existing: string[];
    access: { created: string[]; existing: string[] };
    form: ViewOutcome;
    accountView: ViewOutcome;
  };
  /** Approvals and account confirmations (approval-field-definitions.ts): models, fields, access rows, record rules, server actions. */
  approvals: {
    models: Record<string, 'created' | 'existing'>;
    created: string[];
    existing: string[];
    access: { created: string[]; existing: string[] };
    rules: { created: string[]; existing: string[] };
    actions: Record<string, 'created' | 'existing' | 'updated'>;
  };
}

export interface InstallResult {
  /** "Bank payments" under Accounting: its list view, window action, menu and shared filters (install-menu.ts). */
  menu: MenuOutcome;
}

export interface InstallSettings {
  /** The group whose members see "Approve for payment" (config approvals.approversGroup). @defaultValue account.group_account_manager */
  approversGroup?: string;
}

type ViewOutcome = 'created' | 'existing' | 'updated' | 'skipped';

export const STETPAY_VIEW_NAME = 'account.move.form.stetpay';
export const STETPAY_ACCOUNT_VIEW_NAME = 'res.partner.bank.form.stetpay';
export const STETPAY_PAYEE_CHECK_VIEW_NAME = 'x_stet_payee_check.form.stetpay';

/**
 * The page only on vendor bills and refunds. 16 takes `attrs` (it evaluates
 * `invisible` as a constant); 17 dropped `attrs` for a Python expression in
 * `invisible` and refuses the old form.
 */
function vendorBillsOnly(version: OdooMajorVersion): string {
  return odooDialect(version).modifiers === 'expressions' ? `invisible="move_type not in ('in_invoice', 'in_refund')"` : `attrs="{'invisible': [('move_type', 'not in', ('in_invoice', 'in_refund'))]}"`;
}

/** Who confirmed, shown only once the payee is confirmed (same rule of modifiers per version as above). */
function whenConfirmed(version: OdooMajorVersion): string {
  return odooDialect(version).modifiers === 'expressions' ? `invisible="not x_stet_vop_confirmed"` : `attrs="{'invisible': [('x_stet_vop_confirmed', '=', False)]}"`;
}

/** A list's root element: 18 renamed tree to list. */
const listTag = (version: OdooMajorVersion): string => odooDialect(version).listTag;

/** One `<field>` of an arch: its name, or its name and its other attributes as written (`widget="url"`). */
type ArchField = string | readonly [name: string, attrs: string];

function fieldLine(indent: number, field: ArchField, readonly: boolean): string {
  const [name, attrs] = typeof field === 'string' ? [field, ''] : field;
  return `${' '.repeat(indent)}<field name="${name}"${attrs ? ` ${attrs}` : ''}${readonly ? ' readonly="1"' : ''}/>`;
}

/** A titled group of read-only fields, at the indentation it stands at in the arch. */
function readonlyGroup(indent: number, title: string, fields: readonly ArchField[]): string {
  const pad = ' '.repeat(indent);
  return [`${pad}<group string="${title}">`, ...fields.map((f) => fieldLine(indent + 2, f, true)), `${pad}</group>`].join('\n');
}

/** A one2many shown read-only as an embedded list of these columns; `tag` is the version's list root. */
function readonlyList(indent: number, field: string, tag: string, columns: readonly ArchField[]): string {
  const pad = ' '.repeat(indent);
  return [
    `${pad}<field name="${field}" nolabel="1" colspan="2" readonly="1">`,
    `${pad}  <${tag}>`,
    ...columns.map((c) => fieldLine(indent + 4, c, false)),
    `${pad}  </${tag}>`,
    `${pad}</field>`,
  ].join('\n');
}

/** The inherited view's arch for this Odoo version. */
export const viewArch = (version: OdooMajorVersion): string => `<data>
  <xpath expr="//notebook" position="inside">
    <page string="Bank payment" name="stetpay_bank_payment" ${vendorBillsOnly(version)}>
      <group>
${readonlyGroup(8, 'Approval', ['x_stet_approved', 'x_stet_status', 'x_stet_bank_status', ['x_stet_consent_url', 'widget="url"'], 'x_stet_consent_deadline'])}
${readonlyGroup(8, 'Bank references', ['x_stet_end_to_end_id', 'x_stet_payment_information_id', 'x_stet_resource_id', 'x_stet_requested_execution_date', 'x_stet_attempt', 'x_stet_updated_at'])}
${readonlyGroup(8, 'Reserved for the bank', ['x_stet_reserved_iban', 'x_stet_reserved_amount', 'x_stet_reserved_currency', 'x_stet_closed_attempt', 'x_stet_request_members'])}
      </group>
      <field name="x_stet_status_reason" readonly="1"/>
      <group string="Payee check (Verification of Payee): open it to confirm the payee">
        <field name="x_stet_payee_check_id" readonly="1"/>
        <field name="x_stet_vop_result"/>
        <field name="x_stet_vop_name"/>
        <field name="x_stet_vop_checked_at"/>
        <field name="x_stet_vop_confirmed"/>
        <field name="x_stet_vop_confirmed_by" ${whenConfirmed(version)}/>
      </group>
      <group string="Approvals (Action &gt; Approve for payment): who approved what, when" name="stetpay_approvals">
${readonlyList(8, 'x_stet_approval_ids', listTag(version), [['create_uid', 'string="Approved by"'], ['create_date', 'string="Approved on"'], 'x_amount', 'x_currency', 'x_iban', 'x_holder', 'x_partner_id'])}
      </group>
    </page>
  </xpath>
</data>`;

/**
 * The payee check's own form: what was checked and answered, read-only, and
 * the box a person ticks. No modifier but constants: one arch for 16, 17 and 18.
 */
export const payeeCheckFormArch = (): string => `<form string="Payee check">
  <sheet>
    <div class="oe_title"><h1><field name="x_name" readonly="1"/></h1></div>
    <group>
${readonlyGroup(6, 'Checked', ['x_bank_account_id', 'x_iban', 'x_payee_name', 'x_checked_at', 'x_reference'])}
${readonlyGroup(6, 'Answer', ['x_result', 'x_matched_name', 'x_reason_code'])}
      <group string="A person's decision">
        <field name="x_confirmed"/>
        <field name="write_uid" string="Last changed by (confirmed by, when ticked)" readonly="1"/>
        <field name="write_date" string="Last changed on" readonly="1"/>
      </group>
    </group>
  </sheet>
</form>`;

/** The bank account form's list of its checks, read-only (18 renamed the list view's root from tree to list). */
export const accountViewArch = (version: OdooMajorVersion): string => `<data>
  <xpath expr="//sheet" position="inside">
    <group string="Payee checks (Verification of Payee, stetpay)" name="stetpay_vop">
${readonlyList(6, 'x_stet_payee_check_ids', listTag(version), ['x_checked_at', 'x_iban', 'x_payee_name', 'x_result', 'x_matched_name', 'x_confirmed', ['write_uid', 'string="Last changed by"']])}
    </group>
    <group string="Confirmations (Action &gt; Confirm bank account, stetpay)" name="stetpay_account_checks">
${readonlyList(6, 'x_stet_account_check_ids', listTag(version), [['create_uid', 'string="Confirmed by"'], ['create_date', 'string="Confirmed on"'], 'x_iban', 'x_holder'])}
    </group>
  </xpath>
</data>`;

/**
 * The one stetpay command that needs more than an invoicing user: it reads
 * ir.model, creates ir.model, ir.model.fields and ir.model.access (Administration /
 * Access Rights) and views (Administration / Settings). Any refusal says so, and who should run it.
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

export async function installFields(client: OdooClient, settings: InstallSettings = {}): Promise<InstallResult> {
  try {
    return await install(client, settings);
  } catch (e) {
    throw rightsError(client, e, 'create fields on vendor bills');
  }
}

async function install(client: OdooClient, settings: InstallSettings): Promise<InstallResult> {
  const customModels = [
    { model: PAYEE_CHECK_MODEL, description: PAYEE_CHECK_MODEL_DESCRIPTION, info: 'Verification of Payee checks made by stetpay: one per bank account, IBAN and name.' },
    ...EVIDENCE_MODELS.map(({ model, description, info }) => ({ model, description, info })),
  ];
  const models = await client.call<{ id: number; model: string }[]>('ir.model', 'search_read', [[['model', 'in', ['account.move', 'res.partner.bank', ...customModels.map((m) => m.model)]]]], { fields: ['model'] });
  const modelId = (name: string) => models.find((m) => m.model === name)?.id;
  const billModel = modelId('account.move');
  if (!billModel) throw new OdooAccessError('Odoo has no account.move model: is the Invoicing/Accounting app installed?');
  const accountModel = modelId('res.partner.bank');
  if (!accountModel) throw new OdooAccessError('Odoo has no res.partner.bank model: is the Invoicing/Accounting app installed?');
  // The custom models missing, in one call. A custom model must be named x_...; Odoo gives it the x_name field (IrModel._default_field_id).
  const missingModels = customModels.filter((m) => !modelId(m.model));
  const newIds = missingModels.length ? await client.call<number[]>('ir.model', 'create', [missingModels.map((m) => ({ name: m.description, model: m.model, state: 'manual', order: 'id desc', info: m.info }))]) : [];
  const idOf = new Map<string, number>([...models.map((m) => [m.model, m.id] as const), ...missingModels.map((m, i) => [m.model, newIds[i]!] as const)]);
  const checkModel = idOf.get(PAYEE_CHECK_MODEL)!;
  const billFields = [...STET_FIELDS, ...PAYEE_BILL_FIELDS, ...EVIDENCE_MODELS.filter((m) => m.back.model === 'account.move').flatMap((m) => m.back.fields)];
  const accountFields = [...PAYEE_ACCOUNT_FIELDS, ...EVIDENCE_MODELS.filter((m) => m.back.model === 'res.partner.bank').flatMap((m) => m.back.fields)];
  const byModel: [number, string, readonly StetFieldDefinition[]][] = [
    [checkModel, PAYEE_CHECK_MODEL, PAYEE_CHECK_FIELDS],
    ...EVIDENCE_MODELS.map((m) => [idOf.get(m.model)!, m.model, m.fields] as [number, string, readonly StetFieldDefinition[]]),
    [accountModel, 'res.partner.bank', accountFields],
    [billModel, 'account.move', billFields],
  ];
  const existingRows = await client.call<{ id: number; name: string; model: string }[]>(
    'ir.model.fields',
    'search_read',
    [[['model_id', 'in', byModel.map(([id]) => id)], ['name', 'in', [...new Set(byModel.flatMap(([, , defs]) => defs.map((f) => f.name)))]]]],
    { fields: ['name', 'model'] },
  );
  const existingOn = (model: string) => new Map(existingRows.filter((r) => r.model === model).map((r) => [r.name, r.id]));
  // The custom models' fields and the account's one2manys first (they need the many2ones), then the bill's (related to the check's, and its approvals).
  const payeeAccountNames = new Set(PAYEE_ACCOUNT_FIELDS.map((f) => f.name));
  await createMissingFields(client, [
    { modelId: checkModel, defs: PAYEE_CHECK_FIELDS, existing: existingOn(PAYEE_CHECK_MODEL) },
    ...EVIDENCE_MODELS.map((m) => ({ modelId: idOf.get(m.model)!, defs: m.fields, existing: existingOn(m.model) })),
    { modelId: accountModel, defs: accountFields, existing: existingOn('res.partner.bank') },
  ]);
  const bill = await createMissingFields(client, [{ modelId: billModel, defs: billFields, existing: existingOn('account.move') }]);
  const options = await installMissingOptions(client, [
    ...selectionFieldsIn(billFields, existingOn('account.move')),
    ...selectionFieldsIn(PAYEE_CHECK_FIELDS, existingOn(PAYEE_CHECK_MODEL)),
  ]).catch((e: unknown) => {
    throw rightsError(client, e, 'add the new statuses to the Bank payment status field');
  });
  const evidenceAccess = EVIDENCE_MODELS.flatMap((m) => EVIDENCE_ACCESS.map((a) => ({ ...a, modelId: idOf.get(m.model)!, model: m.model, name: `stetpay ${m.model}: ${a.label}` })));
  const access = await installAccess(client, [...PAYEE_CHECK_ACCESS.map((a) => ({ ...a, modelId: checkModel })), ...evidenceAccess]);
  const rules = await installOwnNameRules(client, EVIDENCE_MODELS.map((m) => ({ model: m.model, modelId: idOf.get(m.model)! }))).catch((e: unknown) => {
    throw rightsError(client, e, 'add the record rules of the approvals');
  });
  const actions = await installServerActions(client, settings, { 'account.move': billModel, 'res.partner.bank': accountModel }).catch((e: unknown) => {
    throw rightsError(client, e, 'add the Approve for payment and Confirm bank account actions');
  });
  const view = await installView(client, { name: STETPAY_VIEW_NAME, model: 'account.move', parent: ['account', 'view_move_form'], arch: viewArch(client.version) }).catch((e: unknown) => {
    throw rightsError(client, e, 'add the Bank payment page to the bill form');
  });
  const form = await installView(client, { name: STETPAY_PAYEE_CHECK_VIEW_NAME, model: PAYEE_CHECK_MODEL, arch: payeeCheckFormArch() }).catch((e: unknown) => {
    throw rightsError(client, e, 'add the payee check form');
  });
  const accountView = await installView(client, { name: STETPAY_ACCOUNT_VIEW_NAME, model: 'res.partner.bank', parent: ['base', 'view_partner_bank_form'], arch: accountViewArch(client.version) }).catch((e: unknown) => {
    throw rightsError(client, e, 'add the payee checks to the bank account form');
  });
  const menu = await installBankPaymentsMenu(client, (spec) => installView(client, spec)).catch((e: unknown) => {
    throw rightsError(client, e, 'add the Bank payments menu, its list and its filters');
  });
  const inPayee = (n: string, model: string) => model === PAYEE_CHECK_MODEL || payeeAccountNames.has(n);
  const split = (which: 'created' | 'existing', payee: boolean) =>
    byModel.slice(0, -1).flatMap(([, model, defs]) => {
      const have = existingOn(model);
      return defs.filter((f) => (which === 'existing' ? have.has(f.name) : !have.has(f.name)) && inPayee(f.name, model) === payee).map((f) => f.name);
    });
  return {
    created: bill.created,
    existing: bill.existing,
    options,
    view,
    payeeChecks: { model: modelId(PAYEE_CHECK_MODEL) ? 'existing' : 'created', created: split('created', true), existing: split('existing', true), access: accessOf(access, [checkModel], false), form, accountView },
    approvals: {
      models: Object.fromEntries(EVIDENCE_MODELS.map((m) => [m.model, modelId(m.model) ? 'existing' : 'created'])),
      created: split('created', false),
      existing: split('existing', false),
      access: accessOf(access, EVIDENCE_MODELS.map((m) => idOf.get(m.model)!), true),
      rules,
      actions,
    },
    menu,
  };
}

/** Creates the fields of `defs` not in `existing`, for one or more models, in one call (Odoo reloads its registry once). */
async function createMissingFields(client: OdooClient, sets: { modelId: number; defs: readonly StetFieldDefinition[]; existing: Map<string, number> }[]): Promise<{ created: string[]; existing: string[] }> {
  const missing = sets.flatMap(({ modelId, defs, existing }) => defs.filter((f) => !existing.has(f.name)).map((f) => ({ modelId, f })));
  if (missing.length) {
    const vals = missing.map(({ modelId, f }) => ({
      name: f.name,
      model_id: modelId,
      field_description: f.label,
      help: f.help,
      ttype: f.ttype,
      state: 'manual',
      copied: false,
      ...(f.selection ? { selection_ids: f.selection.map(([value, name], i) => [0, 0, { value, name, sequence: i }]) } : {}),
      ...(f.relation ? { relation: f.relation } : {}),
      ...(f.relationField ? { relation_field: f.relationField } : {}),
      ...(f.onDelete ? { on_delete: f.onDelete } : {}),
      ...(f.related ? { related: f.related, store: false, readonly: true } : {}),
    }));
    await client.call('ir.model.fields', 'create', [vals]);
  }
  return {
    created: missing.map(({ f }) => f.name),
    existing: sets.flatMap(({ defs, existing }) => defs.filter((f) => existing.has(f.name)).map((f) => f.name)),
  };
}

function selectionFieldsIn(defs: readonly StetFieldDefinition[], existing: Map<string, number>): { def: StetFieldDefinition; fieldId: number }[] {
  return defs.filter((f) => f.selection && !f.related && existing.has(f.name)).map((def) => ({ def, fieldId: existing.get(def.name)! }));
}

/**
 * A selection field created by an older stetpay lacks the newer options (the
 * status `withdrawn`): they are added as `ir.model.fields.selection` rows,
 * after the existing ones. Odoo reloads the model when such a row is created
 * for a manual field (base/models/ir_model.py, IrModelSelection.create).
 */
async function installMissingOptions(client: OdooClient, selections: { def: StetFieldDefinition; fieldId: number }[]): Promise<string[]> {
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

interface AccessSpec {
  modelId: number;
  model?: string;
  group: string;
  name: string;
  read: boolean;
  write: boolean;
  create: boolean;
  unlink: boolean;
}

type AccessOutcome = { spec: AccessSpec; outcome: 'created' | 'existing' };

/** The outcomes for these models: groups (`model:group` when `qualified`), created and already there. */
function accessOf(rows: AccessOutcome[], modelIds: number[], qualified: boolean): { created: string[]; existing: string[] } {
  const pick = (o: 'created' | 'existing') => rows.filter((r) => r.outcome === o && modelIds.includes(r.spec.modelId)).map((r) => (qualified ? `${r.spec.model}:${r.spec.group}` : r.spec.group));
  return { created: pick('created'), existing: pick('existing') };
}

/**
 * The custom models' ir.model.access rows, one per (model, group), all missing
 * ones in one call; a custom model without any is refused to everyone but the
 * superuser (IrModelAccess.check). A row already there for a group (archived
 * too) is left as an administrator may have changed it.
 */
async function installAccess(client: OdooClient, specs: readonly AccessSpec[]): Promise<AccessOutcome[]> {
  const modelIds = [...new Set(specs.map((a) => a.modelId))];
  const rows = await client.call<{ model_id: [number, string] | number; group_id: [number, string] | false }[]>('ir.model.access', 'search_read', [[['model_id', 'in', modelIds]]], { fields: ['model_id', 'group_id'], context: { active_test: false } });
  const have = new Set(rows.map((r) => `${Array.isArray(r.model_id) ? r.model_id[0] : r.model_id}:${Array.isArray(r.group_id) ? r.group_id[0] : 0}`));
  const groupIds = new Map<string, number | false>();
  const out: AccessOutcome[] = [];
  const vals: Record<string, unknown>[] = [];
  for (const a of specs) {
    if (!groupIds.has(a.group)) {
      const [module, name] = a.group.split('.') as [string, string];
      // A group Odoo does not have (ValueError: External ID not found) gets no row.
      groupIds.set(a.group, await client
        .call<[string, number | false]>('ir.model.data', 'check_object_reference', [module, name], undefined, { retry: 'read' })
        .then(([, id]) => id, (e: unknown) => (isOdooError(e) && !(e instanceof OdooAccessError) ? false : Promise.reject(e))));
    }
    const groupId = groupIds.get(a.group);
    if (!groupId) continue;
    if (have.has(`${a.modelId}:${groupId}`)) {
      out.push({ spec: a, outcome: 'existing' });
      continue;
    }
    vals.push({ name: a.name, model_id: a.modelId, group_id: groupId, perm_read: a.read, perm_write: a.write, perm_create: a.create, perm_unlink: a.unlink });
    out.push({ spec: a, outcome: 'created' });
  }
  if (vals.length) await client.call('ir.model.access', 'create', [vals]);
  return out;
}

/**
 * A global record rule on create (ir.rule, perm_create only) per evidence model:
 * a record must be created in its creator's name. Odoo already sets create_uid
 * itself (`_prepare_create_values` drops it from the values, then
 * `setdefault('create_uid', env.uid)`); the rule keeps that so should an
 * administrator ever open the field.
 */
async function installOwnNameRules(client: OdooClient, models: { model: string; modelId: number }[]): Promise<{ created: string[]; existing: string[] }> {
  const created: string[] = [];
  const existing: string[] = [];
  const found = await client.call<{ model_id: [number, string] | number; name: string }[]>('ir.rule', 'search_read', [[['model_id', 'in', models.map((m) => m.modelId)]]], { fields: ['model_id', 'name'], context: { active_test: false } });
  const vals: Record<string, unknown>[] = [];
  for (const m of models) {
    const name = `stetpay ${m.model}: created in one's own name`;
    if (found.some((r) => (Array.isArray(r.model_id) ? r.model_id[0] : r.model_id) === m.modelId && r.name === name)) {
      existing.push(m.model);
      continue;
    }
    vals.push({ name, model_id: m.modelId, domain_force: OWN_NAME_RULE_DOMAIN, perm_read: false, perm_write: false, perm_create: true, perm_unlink: false });
    created.push(m.model);
  }
  if (vals.length) await client.call('ir.rule', 'create', [vals]);
  return { created, existing };
}

/**
 * The server actions people use (Action menu of the list and the form): found
 * by name and model; code and group brought up to date when they differ (a
 * changed `approvals.approversGroup` moves both actions to the new group).
 * Both only for the approvers' group.
 */
async function installServerActions(client: OdooClient, settings: InstallSettings, modelIds: Record<string, number>): Promise<Record<string, 'created' | 'existing' | 'updated'>> {
  const out: Record<string, 'created' | 'existing' | 'updated'> = {};
  for (const a of SERVER_ACTIONS) {
    const modelId = modelIds[a.model]!;
    const group = a.group === 'approvers' ? (settings.approversGroup ?? 'account.group_account_manager') : a.group;
    const [module, name] = group.split('.') as [string, string];
    const [, groupId] = await client.call<[string, number | false]>('ir.model.data', 'check_object_reference', [module, name], undefined, { retry: 'read' });
    const groups = groupId ? [groupId] : [];
    const found = await client.call<{ id: number; code: string | false; groups_id: number[] }[]>('ir.actions.server', 'search_read', [[['name', '=', a.name], ['model_id', '=', modelId]]], { fields: ['code', 'groups_id'], context: { active_test: false } });
    if (found[0]) {
      const sameGroups = [...found[0].groups_id].sort().join(',') === groups.join(',');
      if (found[0].code === a.code && sameGroups) out[a.name] = 'existing';
      else {
        await client.call('ir.actions.server', 'write', [[found[0].id], { ...(found[0].code === a.code ? {} : { code: a.code }), ...(sameGroups ? {} : { groups_id: [[6, 0, groups]] }) }]);
        out[a.name] = 'updated';
      }
      continue;
    }
    await client.call('ir.actions.server', 'create', [{ name: a.name, model_id: modelId, state: 'code', code: a.code, binding_model_id: modelId, binding_type: 'action', binding_view_types: 'list,form', ...(groupId ? { groups_id: [[6, 0, groups]] } : {}) }]);
    out[a.name] = 'created';
  }
  return out;
}

/** A view of stetpay's: an extension of `parent` (module, xml id), or the model's own (primary) view. */
async function installView(client: OdooClient, spec: { name: string; model: string; parent?: [module: string, xmlid: string]; arch: string; type?: 'form' | 'list' }): Promise<ViewOutcome> {
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
    if (!spec.parent) {
      await client.call('ir.ui.view', 'create', [{ name: spec.name, model: spec.model, mode: 'primary', type: spec.type === 'list' ? odooDialect(client.version).listTag : 'form', arch_db: arch, priority: 16 }]);
      return 'created';
    }
    const [, parent] = await client.call<[string, number | false]>('ir.model.data', 'check_object_reference', spec.parent, undefined, { retry: 'read' });
    if (!parent) return 'skipped';
    await client.call('ir.ui.view', 'create', [{ name: spec.name, model: spec.model, inherit_id: parent, mode: 'extension', type: 'form', arch_db: arch, priority: 99 }]);
  } catch (e) {
    if (isOdooError(e) && !(e instanceof OdooAccessError)) return 'skipped'; // the fields work without the page
    throw e;
  }
  return 'created';
}
