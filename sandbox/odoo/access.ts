/**
 * Odoo's access rules as the dev server applies them: the groups (with what
 * each implies), the model access lists of `base`, `mail` and `account`
 * (`security/ir.model.access.csv`, 17.0/18.0 nightlies; 16 grants the same
 * reads through rows without a group), the fields restricted to a group, and
 * the AccessError texts of `odoo/addons/base/models/ir_model.py`
 * (`IrModelAccess.check`, `group_names_with_access`) and `odoo/models.py`
 * (`check_field_access_rights`).
 */
import { OdooFault } from './faults.js';
import type { OdooVersion } from './schema.js';

export type AccessMode = 'read' | 'write' | 'create' | 'unlink';

interface GroupDef {
  xmlid: string;
  name: string;
  /** The module category (ir.module.category name), shown before the group's name. */
  category: string | null;
  implied: string[];
}

/** `base/security/base_groups.xml`, `account/security/account_security.xml`, categories from `base/data/ir_module_category_data.xml`. */
export function groupDefinitions(version: OdooVersion): GroupDef[] {
  const g = (xmlid: string, name: string, category: string | null, implied: string[] = []): GroupDef => ({ xmlid, name, category, implied });
  return [
    g('base.group_no_one', 'Technical Features', 'Technical'),
    g('base.group_user', 'Internal User', 'User types', ['base.group_no_one']),
    g('base.group_portal', 'Portal', 'User types'),
    g('base.group_public', 'Public', 'User types'),
    g('base.group_erp_manager', 'Access Rights', 'Administration', ['base.group_user']),
    g('base.group_system', 'Settings', 'Administration', ['base.group_erp_manager']),
    g('base.group_partner_manager', 'Contact Creation', 'Extra Rights'),
    g('account.group_account_readonly', 'Show Accounting Features - Readonly', 'Technical', ['base.group_user']),
    // 18 renamed Billing to Invoicing and Billing Administrator to Administrator
    g('account.group_account_invoice', version >= 18 ? 'Invoicing' : 'Billing', 'Invoicing', ['base.group_user']),
    ...(version >= 18 ? [g('account.group_account_basic', 'Basic', 'Technical', ['account.group_account_invoice'])] : []),
    g('account.group_account_user', 'Show Full Accounting Features', 'Technical', [version >= 18 ? 'account.group_account_basic' : 'account.group_account_invoice', 'account.group_account_readonly']),
    g('account.group_account_manager', version >= 18 ? 'Administrator' : 'Billing Administrator', 'Invoicing', ['account.group_account_invoice']),
    // 17 added the right to trust bank accounts (odoo PR #114278)
    ...(version >= 17 ? [g('account.group_validate_bank_account', 'Validate bank account', 'Bank')] : []),
  ];
}

/** The group and what it implies, transitively (Odoo adds implied groups to the user's groups). */
export function effectiveGroups(version: OdooVersion, groups: readonly string[]): Set<string> {
  const defs = new Map(groupDefinitions(version).map((d) => [d.xmlid, d]));
  const out = new Set<string>();
  const add = (x: string): void => {
    if (out.has(x)) return;
    out.add(x);
    for (const i of defs.get(x)?.implied ?? []) add(i);
  };
  groups.forEach(add);
  return out;
}

/** `res.groups.full_name`: "Category / Name". */
export function groupFullName(def: GroupDef): string {
  return def.category ? `${def.category} / ${def.name}` : def.name;
}

type Perms = `${0 | 1}${0 | 1}${0 | 1}${0 | 1}`;
/** model -> [group xmlid (null: every user), read write create unlink]. */
const ACL: Record<string, [string | null, Perms][]> = {
  'res.users': [['base.group_public', '1000'], ['base.group_portal', '1000'], ['base.group_user', '1000'], ['base.group_erp_manager', '1111']],
  'res.groups': [['base.group_erp_manager', '1111'], ['base.group_user', '1000']],
  'res.currency': [['account.group_account_manager', '1111'], ['base.group_public', '1000'], ['base.group_portal', '1000'], ['base.group_user', '1000'], ['base.group_system', '1111']],
  'res.country': [['base.group_public', '1000'], ['base.group_portal', '1000'], ['base.group_user', '1000'], ['base.group_partner_manager', '1000'], ['base.group_system', '1111']],
  'res.company': [['base.group_erp_manager', '1111'], ['base.group_public', '1000'], ['base.group_portal', '1000'], ['base.group_user', '1000']],
  'res.partner': [['account.group_account_manager', '1000'], ['base.group_public', '1000'], ['base.group_portal', '1000'], ['base.group_partner_manager', '1111'], ['base.group_user', '1000']],
  'res.bank': [['base.group_system', '1111'], ['base.group_partner_manager', '1111'], ['base.group_user', '1000']],
  'res.partner.bank': [['base.group_user', '1000'], ['base.group_partner_manager', '1111']],
  'account.journal': [['account.group_account_readonly', '1000'], ['account.group_account_manager', '1111'], ['account.group_account_invoice', '1000']],
  'account.move': [['account.group_account_manager', '1000'], ['account.group_account_readonly', '1000'], ['account.group_account_invoice', '1111'], ['base.group_portal', '1000']],
  'account.payment': [['account.group_account_readonly', '1000'], ['account.group_account_invoice', '1111']],
  'account.payment.register': [['account.group_account_invoice', '1110']],
  'ir.model': [['base.group_erp_manager', '1111'], ['base.group_user', '0000']],
  'ir.model.access': [['base.group_erp_manager', '1111']],
  'ir.model.fields': [['base.group_erp_manager', '1111'], ['base.group_user', '0000']],
  'ir.model.fields.selection': [['base.group_erp_manager', '1111'], ['base.group_user', '0000']],
  'ir.model.data': [['base.group_erp_manager', '1111'], ['base.group_user', '0000']],
  'ir.ui.view': [[null, '0000'], ['base.group_system', '1111']],
  'ir.ui.menu': [['base.group_user', '1000'], ['base.group_system', '1111']],
  'ir.actions.act_window': [['base.group_system', '1111']],
  'ir.actions.server': [['base.group_system', '1111']],
  'ir.rule': [['base.group_user', '1000'], ['base.group_erp_manager', '1111']],
  'ir.filters': [['base.group_erp_manager', '1111'], ['base.group_user', '1111'], ['base.group_portal', '1111'], ['base.group_public', '1111']],
  'ir.config_parameter': [['base.group_system', '1111']],
  'mail.message': [['base.group_public', '1000'], ['base.group_portal', '1111'], ['base.group_user', '1111']],
  'mail.message.subtype': [['base.group_public', '1000'], ['base.group_portal', '1000'], ['base.group_user', '1000'], ['base.group_system', '1111']],
  'mail.tracking.value': [['base.group_system', '1111']],
  'mail.activity': [['base.group_user', '1111']],
  'mail.activity.type': [['base.group_user', '1000'], ['base.group_system', '1111']],
};

const MODE_INDEX: Record<AccessMode, number> = { read: 0, write: 1, create: 2, unlink: 3 };

/** Fields readable and writable only by members of a group (`groups=` on the field). */
export const FIELD_GROUPS: Record<string, Record<string, string>> = {
  'mail.message': { tracking_value_ids: 'base.group_system' },
};

/** How a model is named in messages (its ir.model name). */
export type DescribeModel = (model: string) => string;

/** The access rows a database holds for a model made through ir.model (no row: nobody but the superuser), or undefined for the others. */
export type CustomModelRows = (model: string) => [string | null, string][] | undefined;

export class AccessRules {
  private readonly groups: Map<string, GroupDef>;

  constructor(
    readonly version: OdooVersion,
    private readonly customRows: CustomModelRows = () => undefined,
  ) {
    this.groups = new Map(groupDefinitions(version).map((d) => [d.xmlid, d]));
  }

  /** The model's rows: the modules' list, else the database's for a custom model. */
  private rowsOf(model: string): [string | null, string][] | undefined {
    return ACL[model] ?? this.customRows(model);
  }

  /**
   * `ir.model.access.check(model, mode)`: a custom model is open to the groups
   * of its ir.model.access rows only (none: refused to all); a model of the
   * modules without rows here is open (transient wizards, models the dev server adds).
   */
  hasModelAccess(userGroups: readonly string[], model: string, mode: AccessMode): boolean {
    const rows = this.rowsOf(model);
    if (!rows) return true;
    const mine = effectiveGroups(this.version, userGroups);
    return rows.some(([group, perms]) => perms[MODE_INDEX[mode]] === '1' && (group === null || mine.has(group)));
  }

  /** Throws the AccessError Odoo raises (fault 4) when the user lacks the right. */
  checkModel(userGroups: readonly string[], model: string, mode: AccessMode, describe: DescribeModel): void {
    if (this.hasModelAccess(userGroups, model, mode)) return;
    const verb = { read: 'access', write: 'modify', create: 'create', unlink: 'delete' }[mode];
    // group_names_with_access: "Category/Name", ORDER BY category, name
    const names = (this.rowsOf(model) ?? [])
      .filter(([group, perms]) => group !== null && perms[MODE_INDEX[mode]] === '1')
      .map(([group]) => this.groups.get(group!))
      .filter((d): d is GroupDef => d !== undefined)
      .sort((a, b) => (a.category ?? '\uffff').localeCompare(b.category ?? '\uffff') || a.name.localeCompare(b.name))
      .map((d) => (d.category ? `${d.category}/${d.name}` : d.name));
    const groupInfo = names.length ? `This operation is allowed for the following groups:\n${names.map((n) => `\t- ${n}`).join('\n')}` : 'No group currently allows this operation.';
    throw new OdooFault(4, `You are not allowed to ${verb} '${describe(model)}' (${model}) records.\n\n${groupInfo}\n\nContact your administrator to request access if necessary.`);
  }

  /** The fields of `names` the user may not touch (`groups=` not met). */
  forbiddenFields(userGroups: readonly string[], model: string, names: readonly string[]): string[] {
    const restricted = FIELD_GROUPS[model];
    if (!restricted) return [];
    const mine = effectiveGroups(this.version, userGroups);
    return names.filter((n) => restricted[n] !== undefined && !mine.has(restricted[n]!));
  }

  /**
   * `check_field_access_rights`: internal users have base.group_no_one, so they get the
   * detailed text (16/17 "The requested operation can not be completed…", 18 "You do
   * not have enough rights to access the fields…").
   */
  fieldAccessError(uid: number, model: string, mode: AccessMode, fields: string[], describe: DescribeModel): OdooFault {
    const sorted = [...fields].sort();
    const list = sorted.map((f) => `- ${f} (allowed for groups '${groupFullName(this.groups.get(FIELD_GROUPS[model]![f]!)!)}')`).join('\n');
    const head =
      this.version >= 18
        ? `You do not have enough rights to access the fields "${fields.join(',')}" on ${describe(model)} (${model}). Please contact your system administrator.\n\nOperation: ${mode}`
        : `The requested operation can not be completed due to security restrictions.\n\nDocument type: ${describe(model)} (${model})\nOperation: ${mode}`;
    return new OdooFault(4, `${head}\nUser: ${uid}\nFields:\n${list}`);
  }

  isMember(userGroups: readonly string[], xmlid: string): boolean {
    return effectiveGroups(this.version, userGroups).has(xmlid);
  }

  definitions(): GroupDef[] {
    return [...this.groups.values()];
  }
}
