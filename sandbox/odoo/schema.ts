/** The models and fields the dev server knows, per Odoo version (docs/odoo.md). */
export type OdooVersion = 16 | 17 | 18;

export type FieldType =
  | 'char' | 'text' | 'html' | 'integer' | 'float' | 'monetary' | 'boolean' | 'date' | 'datetime'
  | 'selection' | 'many2one' | 'one2many' | 'many2many' | 'binary' | 'reference';

export interface FieldDef {
  type: FieldType;
  string: string;
  relation?: string;
  /** one2many: the many2one on the comodel pointing back. */
  inverse?: string;
  selection?: [string, string][];
  /** Computed on read (related or derived): model, record -> raw value. */
  compute?: string;
  required?: boolean;
  readonly?: boolean;
  /** Set by ir.model.fields (state manual). */
  manual?: boolean;
  /** A related field: the dotted path read through (`partner_bank_id.x_field`), never stored. */
  related?: string;
  /** ir.model.fields `tracking` of a custom field: a change is logged in the chatter (mail.tracking.value). */
  tracking?: number;
  /** The field's ir.model.fields id (custom fields). */
  fieldId?: number;
  /** The default a create fills in when the field is not given. */
  default?: unknown;
}

export interface ModelDef {
  description: string;
  fields: Record<string, FieldDef>;
  order: string;
  /** Field holding the display name; or a compute key. */
  recName: string;
  transient?: boolean;
}

const f = (type: FieldType, string: string, extra: Partial<FieldDef> = {}): FieldDef => ({ type, string, ...extra });
const m2o = (relation: string, string: string, extra: Partial<FieldDef> = {}): FieldDef => f('many2one', string, { relation, ...extra });
const sel = (string: string, pairs: [string, string][], extra: Partial<FieldDef> = {}): FieldDef => f('selection', string, { selection: pairs, ...extra });

const common = (): Record<string, FieldDef> => ({
  id: f('integer', 'ID', { readonly: true }),
  display_name: f('char', 'Display Name', { compute: 'display_name', readonly: true }),
  create_date: f('datetime', 'Created on', { readonly: true }),
  create_uid: m2o('res.users', 'Created by', { readonly: true }),
  write_date: f('datetime', 'Last Updated on', { readonly: true }),
  write_uid: m2o('res.users', 'Last Updated by', { readonly: true }),
});

/**
 * A custom model made through ir.model (state manual): the magic fields only,
 * the rest comes from ir.model.fields. Its records are named by `x_name` when
 * it has one (odoo/models.py `_setup_base`: `cls._custom and 'x_name' in cls._fields`).
 */
export function customModelDef(description: string, order: string): ModelDef {
  return { description, order, recName: 'x_name', fields: common() };
}

export function buildSchema(version: OdooVersion): Record<string, ModelDef> {
  const paymentStates: [string, string][] = [
    ['not_paid', 'Not Paid'],
    ['in_payment', 'In Payment'],
    ['paid', 'Paid'],
    ['partial', 'Partially Paid'],
    ['reversed', 'Reversed'],
    ...(version >= 18 ? ([['blocked', 'Blocked']] as [string, string][]) : []),
    ['invoicing_legacy', 'Invoicing App Legacy'],
  ];
  const moveReview: Record<string, FieldDef> =
    version >= 18 ? { checked: f('boolean', 'Reviewed') } : { to_check: f('boolean', 'To Check') };
  const paymentMemo: Record<string, FieldDef> =
    version >= 18
      ? {
          memo: f('char', 'Memo'),
          state: sel('Status', [['draft', 'Draft'], ['in_process', 'In Process'], ['paid', 'Paid'], ['canceled', 'Canceled'], ['rejected', 'Rejected']]),
        }
      : { ref: f('char', 'Reference'), state: sel('Status', [['draft', 'Draft'], ['posted', 'Posted'], ['cancel', 'Cancelled']]) };

  return {
    'res.users': { description: 'User', order: 'name, login', recName: 'name', fields: { ...common(), name: f('char', 'Name'), login: f('char', 'Login', { required: true }), partner_id: m2o('res.partner', 'Related Partner'), company_id: m2o('res.company', 'Company'), tz: f('char', 'Timezone'), lang: f('char', 'Language', { default: 'en_US' }), active: f('boolean', 'Active'), groups_id: f('many2many', 'Groups', { relation: 'res.groups', compute: 'user_groups', readonly: true }) } },
    'res.groups': { description: 'Access Groups', order: 'name', recName: 'full_name', fields: { ...common(), name: f('char', 'Name', { required: true }), full_name: f('char', 'Group Name', { readonly: true }), implied_ids: f('many2many', 'Inherits', { relation: 'res.groups' }) } },
    'res.currency': { description: 'Currency', order: 'active desc, name', recName: 'name', fields: { ...common(), name: f('char', 'Currency'), symbol: f('char', 'Symbol'), active: f('boolean', 'Active') } },
    'res.country': { description: 'Country', order: 'name', recName: 'name', fields: { ...common(), name: f('char', 'Country Name'), code: f('char', 'Country Code') } },
    'res.company': {
      description: 'Companies', order: 'sequence, name', recName: 'name',
      fields: { ...common(), name: f('char', 'Company Name', { required: true }), partner_id: m2o('res.partner', 'Partner'), currency_id: m2o('res.currency', 'Currency'), country_id: m2o('res.country', 'Country'), country_code: f('char', 'Country Code', { compute: 'country_code', readonly: true }), vat: f('char', 'Tax ID'), company_registry: f('char', 'Company ID'), street: f('char', 'Street'), zip: f('char', 'Zip'), city: f('char', 'City'), bank_ids: f('one2many', 'Banks', { relation: 'res.partner.bank', compute: 'company_bank_ids', readonly: true }), sequence: f('integer', 'Sequence') },
    },
    'res.partner': {
      description: 'Contact', order: 'complete_name ASC, id DESC', recName: 'name',
      fields: { ...common(), name: f('char', 'Name'), is_company: f('boolean', 'Is a Company'), parent_id: m2o('res.partner', 'Related Company'), commercial_partner_id: m2o('res.partner', 'Commercial Entity', { compute: 'commercial_partner_id', readonly: true }), complete_name: f('char', 'Complete Name', { compute: 'display_name', readonly: true }), street: f('char', 'Street'), street2: f('char', 'Street2'), zip: f('char', 'Zip'), city: f('char', 'City'), country_id: m2o('res.country', 'Country'), country_code: f('char', 'Country Code', { compute: 'country_code', readonly: true }), vat: f('char', 'Tax ID'), company_registry: f('char', 'Company ID'), email: f('char', 'Email'), bank_ids: f('one2many', 'Banks', { relation: 'res.partner.bank', inverse: 'partner_id' }), active: f('boolean', 'Active'), supplier_rank: f('integer', 'Supplier Rank') },
    },
    'res.bank': { description: 'Bank', order: 'name', recName: 'name', fields: { ...common(), name: f('char', 'Name', { required: true }), bic: f('char', 'Bank Identifier Code'), country: m2o('res.country', 'Country'), city: f('char', 'City') } },
    'res.partner.bank': {
      description: 'Bank Accounts', order: 'sequence, id', recName: 'acc_number',
      fields: { ...common(), acc_number: f('char', 'Account Number', { required: true }), sanitized_acc_number: f('char', 'Sanitized Account Number', { compute: 'sanitized_acc_number', readonly: true }), acc_holder_name: f('char', 'Account Holder Name'), partner_id: m2o('res.partner', 'Account Holder', { required: true }), bank_id: m2o('res.bank', 'Bank'), bank_name: f('char', 'Bank Name', { compute: 'bank_name', readonly: true }), bank_bic: f('char', 'Bank Identifier Code', { compute: 'bank_bic', readonly: true }), currency_id: m2o('res.currency', 'Currency'), company_id: m2o('res.company', 'Company'), active: f('boolean', 'Active'), allow_out_payment: f('boolean', 'Send Money'), sequence: f('integer', 'Sequence') },
    },
    'account.journal': {
      description: 'Journal', order: 'sequence, type, code', recName: 'name',
      fields: { ...common(), name: f('char', 'Journal Name', { required: true }), code: f('char', 'Short Code'), type: sel('Type', [['sale', 'Sales'], ['purchase', 'Purchase'], ['cash', 'Cash'], ['bank', 'Bank'], ['general', 'Miscellaneous']]), company_id: m2o('res.company', 'Company'), currency_id: m2o('res.currency', 'Currency'), bank_account_id: m2o('res.partner.bank', 'Bank Account'), bank_acc_number: f('char', 'Account Number', { compute: 'bank_acc_number', readonly: true }), bank_id: m2o('res.bank', 'Bank', { compute: 'journal_bank_id', readonly: true }), sequence: f('integer', 'Sequence'), active: f('boolean', 'Active') },
    },
    'account.move': {
      description: 'Journal Entry', order: 'date desc, name desc, id desc', recName: 'name',
      fields: {
        ...common(),
        name: f('char', 'Number'), ref: f('char', 'Reference'), payment_reference: f('char', 'Payment Reference'),
        move_type: sel('Type', [['entry', 'Journal Entry'], ['out_invoice', 'Customer Invoice'], ['out_refund', 'Customer Credit Note'], ['in_invoice', 'Vendor Bill'], ['in_refund', 'Vendor Credit Note'], ['out_receipt', 'Sales Receipt'], ['in_receipt', 'Purchase Receipt']], { required: true }),
        state: sel('Status', [['draft', 'Draft'], ['posted', 'Posted'], ['cancel', 'Cancelled']], { required: true }),
        payment_state: sel('Payment Status', paymentStates, { readonly: true }),
        partner_id: m2o('res.partner', 'Partner'),
        commercial_partner_id: m2o('res.partner', 'Commercial Entity', { compute: 'commercial_partner_id', readonly: true }),
        partner_bank_id: m2o('res.partner.bank', 'Recipient Bank'),
        currency_id: m2o('res.currency', 'Currency', { required: true }),
        company_id: m2o('res.company', 'Company', { required: true }),
        journal_id: m2o('account.journal', 'Journal'),
        amount_total: f('monetary', 'Total', { readonly: true }),
        amount_residual: f('monetary', 'Amount Due', { readonly: true }),
        amount_total_signed: f('monetary', 'Total Signed', { compute: 'amount_total_signed', readonly: true }),
        amount_residual_signed: f('monetary', 'Amount Due Signed', { compute: 'amount_residual_signed', readonly: true }),
        date: f('date', 'Date'), invoice_date: f('date', 'Invoice/Bill Date'), invoice_date_due: f('date', 'Due Date'),
        narration: f('html', 'Terms and Conditions'),
        ...moveReview,
      },
    },
    'account.payment': {
      description: 'Payments', order: 'date desc, name desc', recName: 'name',
      fields: { ...common(), name: f('char', 'Number'), payment_type: sel('Payment Type', [['outbound', 'Send'], ['inbound', 'Receive']]), partner_type: sel('Partner Type', [['customer', 'Customer'], ['supplier', 'Vendor']]), partner_id: m2o('res.partner', 'Customer/Vendor'), partner_bank_id: m2o('res.partner.bank', 'Recipient Bank Account'), amount: f('monetary', 'Amount'), currency_id: m2o('res.currency', 'Currency'), journal_id: m2o('account.journal', 'Journal'), company_id: m2o('res.company', 'Company'), date: f('date', 'Date'), reconciled_bill_ids: f('many2many', 'Reconciled Bills', { relation: 'account.move' }), ...paymentMemo },
    },
    'account.payment.register': {
      description: version >= 18 ? 'Pay' : 'Register Payment', order: 'id', recName: 'id', transient: true,
      fields: { ...common(), journal_id: m2o('account.journal', 'Journal'), payment_date: f('date', 'Payment Date', { required: true }), amount: f('monetary', 'Amount'), communication: f('char', 'Memo'), partner_bank_id: m2o('res.partner.bank', 'Recipient Bank Account'), group_payment: f('boolean', 'Group Payments'), payment_method_line_id: m2o('account.journal', 'Payment Method'), currency_id: m2o('res.currency', 'Currency'), line_ids: f('many2many', 'Journal items', { relation: 'account.move' }) },
    },
    'ir.model': {
      description: 'Models', order: 'model', recName: 'name',
      fields: { ...common(), name: f('char', 'Model Description', { required: true }), model: f('char', 'Model', { required: true }), order: f('char', 'Order', { required: true, default: 'id' }), info: f('text', 'Information'), state: sel('Type', [['manual', 'Custom Object'], ['base', 'Base Object']], { default: 'manual' }), transient: f('boolean', 'Transient Model'), field_id: f('one2many', 'Fields', { relation: 'ir.model.fields', inverse: 'model_id' }), access_ids: f('one2many', 'Access', { relation: 'ir.model.access', inverse: 'model_id' }) },
    },
    'ir.model.access': {
      description: 'Model Access', order: 'model_id, group_id, name, id', recName: 'name',
      fields: { ...common(), name: f('char', 'Name', { required: true }), active: f('boolean', 'Active'), model_id: m2o('ir.model', 'Model', { required: true }), group_id: m2o('res.groups', 'Group'), perm_read: f('boolean', 'Read Access'), perm_write: f('boolean', 'Write Access'), perm_create: f('boolean', 'Create Access'), perm_unlink: f('boolean', 'Delete Access') },
    },
    'ir.model.fields': {
      description: 'Fields', order: 'model, name', recName: 'field_description',
      fields: { ...common(), name: f('char', 'Field Name', { required: true }), model: f('char', 'Model Name'), model_id: m2o('ir.model', 'Model', { required: true }), field_description: f('char', 'Field Label', { required: true }), ttype: sel('Field Type', [['char', 'char'], ['text', 'text'], ['html', 'html'], ['boolean', 'boolean'], ['integer', 'integer'], ['float', 'float'], ['monetary', 'monetary'], ['date', 'date'], ['datetime', 'datetime'], ['selection', 'selection'], ['many2one', 'many2one'], ['one2many', 'one2many'], ['many2many', 'many2many'], ['binary', 'binary']], { required: true }), state: sel('Type', [['manual', 'Custom Field'], ['base', 'Base Field']]), relation: f('char', 'Related Model'), selection: f('char', 'Selection Options (Deprecated)', { compute: 'selection_text' }), selection_ids: f('one2many', 'Selection Options', { relation: 'ir.model.fields.selection', inverse: 'field_id' }), help: f('text', 'Field Help'), readonly: f('boolean', 'Readonly'), required: f('boolean', 'Required'), copied: f('boolean', 'Copied'), tracking: f('integer', 'Enable Ordered Tracking'), store: f('boolean', 'Stored'), related: f('char', 'Related Field Definition'), relation_field: f('char', 'Relation Field'), on_delete: sel('On Delete', [['cascade', 'Cascade'], ['set null', 'Set NULL'], ['restrict', 'Restrict']], { default: 'set null' }) },
    },
    'ir.model.fields.selection': { description: 'Fields Selection', order: 'sequence, id', recName: 'name', fields: { ...common(), field_id: m2o('ir.model.fields', 'Field'), value: f('char', 'Value', { required: true }), name: f('char', 'Name', { required: true }), sequence: f('integer', 'Sequence') } },
    'ir.model.data': { description: 'Model Data', order: 'module, model, name', recName: 'name', fields: { ...common(), module: f('char', 'Module'), name: f('char', 'External Identifier'), model: f('char', 'Model Name'), res_id: f('integer', 'Record ID') } },
    'ir.ui.view': { description: 'View', order: 'priority, name, id', recName: 'name', fields: { ...common(), name: f('char', 'View Name', { required: true }), model: f('char', 'Model'), type: sel('View Type', [['form', 'Form'], ['tree', 'Tree'], ['list', 'List'], ['search', 'Search'], ['kanban', 'Kanban']]), arch_db: f('text', 'Arch Blob'), arch: f('text', 'View Architecture', { compute: 'arch' }), inherit_id: m2o('ir.ui.view', 'Inherited View'), mode: sel('View inheritance mode', [['primary', 'Base view'], ['extension', 'Extension View']]), priority: f('integer', 'Sequence'), active: f('boolean', 'Active') } },
    'mail.message.subtype': { description: 'Message subtypes', order: 'sequence, id', recName: 'name', fields: { ...common(), name: f('char', 'Message Type'), internal: f('boolean', 'Internal Only'), sequence: f('integer', 'Sequence') } },
    'mail.message': {
      description: 'Message', order: 'id desc', recName: 'id',
      fields: { ...common(), model: f('char', 'Related Document Model'), res_id: f('integer', 'Related Document ID'), body: f('html', 'Contents'), subject: f('char', 'Subject'), message_type: sel('Type', [['email', 'Email'], ['comment', 'Comment'], ['notification', 'System notification'], ['user_notification', 'User Specific Notification']], { required: true }), subtype_id: m2o('mail.message.subtype', 'Subtype'), author_id: m2o('res.partner', 'Author'), partner_ids: f('many2many', 'Recipients', { relation: 'res.partner' }), date: f('datetime', 'Date'), tracking_value_ids: f('one2many', 'Tracking values', { relation: 'mail.tracking.value', inverse: 'mail_message_id' }) },
    },
    // 16 names the field `field` and keeps monetary values apart; 17 has `field_id` (mail/models/mail_tracking_value.py)
    'mail.tracking.value': {
      description: 'Mail Tracking Value', order: 'id DESC', recName: 'id',
      fields: {
        ...common(),
        ...(version >= 17 ? { field_id: m2o('ir.model.fields', 'Changed Field') } : { field: m2o('ir.model.fields', 'Changed Field'), field_desc: f('char', 'Field Description'), field_type: f('char', 'Field Type'), old_value_monetary: f('float', 'Old Value Monetary'), new_value_monetary: f('float', 'New Value Monetary') }),
        old_value_integer: f('integer', 'Old Value Integer'), new_value_integer: f('integer', 'New Value Integer'),
        old_value_float: f('float', 'Old Value Float'), new_value_float: f('float', 'New Value Float'),
        old_value_char: f('char', 'Old Value Char'), new_value_char: f('char', 'New Value Char'),
        old_value_text: f('text', 'Old Value Text'), new_value_text: f('text', 'New Value Text'),
        old_value_datetime: f('datetime', 'Old Value DateTime'), new_value_datetime: f('datetime', 'New Value Datetime'),
        currency_id: m2o('res.currency', 'Currency'),
        mail_message_id: m2o('mail.message', 'Message ID', { required: true }),
      },
    },
    'mail.activity.type': { description: 'Activity Type', order: 'sequence, id', recName: 'name', fields: { ...common(), name: f('char', 'Name', { required: true }), summary: f('char', 'Default Summary'), sequence: f('integer', 'Sequence'), res_model: f('char', 'Model'), active: f('boolean', 'Active') } },
    'mail.activity': {
      description: 'Activity', order: 'date_deadline ASC, id ASC', recName: 'summary',
      fields: { ...common(), res_model_id: m2o('ir.model', 'Document Model', { required: true }), res_model: f('char', 'Related Document Model', { compute: 'activity_res_model', readonly: true }), res_id: f('integer', 'Related Document ID', { required: true }), activity_type_id: m2o('mail.activity.type', 'Activity Type'), summary: f('char', 'Summary'), note: f('html', 'Note'), date_deadline: f('date', 'Due Date', { required: true }), user_id: m2o('res.users', 'Assigned to', { required: true }) },
    },
    'ir.config_parameter': { description: 'System Parameter', order: 'key', recName: 'key', fields: { ...common(), key: f('char', 'Key', { required: true }), value: f('text', 'Value', { required: true }) } },
    'ir.ui.menu': { description: 'Menu', order: 'sequence, id', recName: 'name', fields: { ...common(), name: f('char', 'Menu', { required: true }), parent_id: m2o('ir.ui.menu', 'Parent Menu'), sequence: f('integer', 'Sequence', { default: 10 }), action: f('reference', 'Action'), groups_id: f('many2many', 'Groups', { relation: 'res.groups' }), active: f('boolean', 'Active') } },
    'ir.actions.act_window': {
      description: 'Action Window', order: 'name', recName: 'name',
      fields: { ...common(), name: f('char', 'Action Name', { required: true }), type: f('char', 'Action Type', { default: 'ir.actions.act_window' }), res_model: f('char', 'Destination Model', { required: true }), view_mode: f('char', 'View Mode', { required: true, default: version >= 18 ? 'list,form' : 'tree,form' }), domain: f('char', 'Domain Value'), context: f('char', 'Context Value', { required: true, default: '{}' }), res_id: f('integer', 'Record ID'), target: sel('Target Window', [['current', 'Current Window'], ['new', 'New Window'], ['inline', 'Inline Edit'], ['fullscreen', 'Full Screen'], ['main', 'Main action of Current Window']], { default: 'current' }), groups_id: f('many2many', 'Groups', { relation: 'res.groups' }) },
    },
    'ir.actions.server': {
      description: 'Server Action', order: 'sequence, name', recName: 'name',
      fields: { ...common(), name: f('char', 'Action Name', { required: true }), type: f('char', 'Action Type', { default: 'ir.actions.server' }), model_id: m2o('ir.model', 'Model', { required: true }), state: sel('Type', [['object_write', 'Update Record'], ['object_create', 'Create Record'], ['code', version >= 17 ? 'Execute Code' : 'Execute Python Code'], ['multi', 'Execute Existing Actions']], { required: true, default: 'object_write' }), code: f('text', 'Python Code'), binding_model_id: m2o('ir.model', 'Binding Model'), binding_type: sel('Binding Type', [['action', 'Action'], ['report', 'Report']], { required: true, default: 'action' }), binding_view_types: f('char', 'Binding View Types', { default: 'list,form' }), groups_id: f('many2many', 'Allowed Groups', { relation: 'res.groups' }), sequence: f('integer', 'Sequence', { default: 5 }) },
    },
    'ir.filters': {
      description: 'Filters', order: 'model_id, name, id desc', recName: 'name',
      fields: { ...common(), name: f('char', 'Filter Name', { required: true }), user_id: m2o('res.users', 'User'), domain: f('text', 'Domain', { required: true, default: '[]' }), context: f('text', 'Context', { required: true, default: '{}' }), sort: f(version >= 18 ? 'char' : 'text', 'Sort', { required: true, default: '[]' }), model_id: f('selection', 'Model', { required: true }), is_default: f('boolean', 'Default Filter'), action_id: m2o('ir.actions.act_window', 'Action'), active: f('boolean', 'Active') },
    },
  };
}
