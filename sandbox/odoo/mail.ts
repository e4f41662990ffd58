/**
 * The chatter as the dev server keeps it (Odoo's `mail` module): `message_post`,
 * the log of a tracked field's change (`mail.tracking.value`), `message_format`
 * (16/17) and activities.
 */
import { missingError, serverFault, userError } from './faults.js';
import type { FieldDef } from './schema.js';
import type { DevUser, OdooStore } from './store.js';

/** The dev server's models that inherit mail.thread (and can be tracked and posted on). */
export const MAIL_THREAD_MODELS = new Set(['account.move', 'account.payment', 'res.partner', 'res.partner.bank']);

/** `_mail_post_access` (mail/models/mail_thread.py 'write'; account.move says 'read'). */
export const postAccess = (model: string): 'read' | 'write' => (model === 'account.move' ? 'read' : 'write');

type Kwargs = Record<string, unknown>;

/**
 * `message_post` on one record. The subtype's xmlid is resolved as Odoo's
 * `ir.model.data._xmlid_to_res_id` does, without the caller's access to
 * ir.model.data; `mail.mt_note` when none is given (mail/models/mail_thread.py).
 */
export function postMessage(s: OdooStore, user: DevUser, model: string, ids: number[], kwargs: Kwargs): number {
  if (ids.length !== 1) throw serverFault('ValueError', `Expected singleton: ${model}(${ids.join(', ')}${ids.length === 1 ? ',' : ''})`);
  if (!s.exists(model, ids[0]!)) throw missingError(model, ids, user.id);
  let body = String(kwargs.body ?? '');
  // 17+ escapes a plain string unless body_is_html (PR #129977); 16 stores it as HTML
  if (s.version >= 17 && kwargs.body_is_html !== true) body = body.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>');
  let subtypeId: number | false = typeof kwargs.subtype_id === 'number' ? kwargs.subtype_id : false;
  if (!subtypeId) {
    const xmlid = typeof kwargs.subtype_xmlid === 'string' && kwargs.subtype_xmlid ? kwargs.subtype_xmlid : 'mail.mt_note';
    const target = xmlid.includes('.') ? s.xmlidTarget(xmlid) : undefined;
    if (!target) throw serverFault('ValueError', `External ID not found in the system: ${xmlid}`, 'odoo/addons/base/models/ir_model.py');
    subtypeId = target.resId;
  }
  return s.insert('mail.message', {
    model,
    res_id: ids[0],
    body: `<p>${body}</p>`,
    message_type: kwargs.message_type ?? 'notification',
    subtype_id: subtypeId,
    author_id: s.value('res.users', user.id, 'partner_id'),
    date: s.now(),
  });
}

/** The tracked fields among `names` (custom fields with `tracking`, set through ir.model.fields). */
export function trackedFields(s: OdooStore, model: string, names: string[]): string[] {
  if (!MAIL_THREAD_MODELS.has(model)) return [];
  return names.filter((n) => (s.field(model, n)?.tracking ?? 0) > 0);
}

/**
 * After a write: one `notification` message (subtype Note) per record whose
 * tracked fields changed, authored by the writer, with one mail.tracking.value
 * per field (mail/models/mail_tracking_value.py `_create_tracking_values`).
 */
export function logTrackedChanges(s: OdooStore, user: DevUser, model: string, id: number, before: Record<string, unknown>): void {
  const changed = Object.keys(before).filter((n) => JSON.stringify(before[n]) !== JSON.stringify(s.value(model, id, n)));
  if (changed.length === 0) return;
  const messageId = s.insert('mail.message', {
    model,
    res_id: id,
    body: '',
    message_type: 'notification',
    subtype_id: s.xmlidTarget('mail.mt_note')?.resId ?? false,
    author_id: s.value('res.users', user.id, 'partner_id'),
    date: s.now(),
  });
  for (const name of changed) {
    const def = s.field(model, name)!;
    s.insert('mail.tracking.value', { ...trackingColumns(s, def, before[name], s.value(model, id, name)), [s.version >= 17 ? 'field_id' : 'field']: def.fieldId ?? false, mail_message_id: messageId });
  }
}

function trackingColumns(s: OdooStore, def: FieldDef, oldValue: unknown, newValue: unknown): Record<string, unknown> {
  const pair = (column: string, conv: (v: unknown) => unknown): Record<string, unknown> => ({ [`old_value_${column}`]: conv(oldValue), [`new_value_${column}`]: conv(newValue) });
  switch (def.type) {
    case 'integer':
    case 'float':
    case 'char':
    case 'text':
    case 'datetime':
      return pair(def.type, (v) => v);
    case 'monetary':
      return pair(s.version >= 17 ? 'float' : 'monetary', (v) => v);
    case 'date':
      return pair('datetime', (v) => (v ? `${String(v)} 00:00:00` : false));
    case 'boolean':
      return pair('integer', (v) => (v ? 1 : 0));
    case 'selection':
      return pair('char', (v) => (v ? (def.selection?.find(([k]) => k === v)?.[1] ?? v) : ''));
    case 'many2one':
      return { ...pair('integer', (v) => (v ? v : 0)), ...pair('char', (v) => (v ? s.displayName(def.relation!, v as number) : '')) };
    default:
      throw serverFault('NotImplementedError', `Unsupported tracking on field (type ${def.type})`, 'odoo/addons/mail/models/mail_tracking_value.py');
  }
}

/** `mail.message.message_format` (16/17; gone in 18): the chatter's view of messages, tracking values included. */
export function formatMessages(s: OdooStore, ids: number[]): Record<string, unknown>[] {
  return s.read('mail.message', ids).map((m) => {
    const authorId = m.author_id as number | false;
    const user = authorId ? s.users.find((u) => s.value('res.users', u.id, 'partner_id') === authorId) : undefined;
    const subtypeId = m.subtype_id as number | false;
    const model = typeof m.model === 'string' ? m.model : false;
    const recordName = model && s.hasModel(model) && s.exists(model, Number(m.res_id)) ? s.displayName(model, Number(m.res_id)) : false;
    const tracking = (m.tracking_value_ids as number[]).map((tid) => {
      const t = s.read('mail.tracking.value', [tid])[0]!;
      const fieldId = (t.field_id ?? t.field) as number | false;
      const field = fieldId ? s.read('ir.model.fields', [fieldId])[0] : undefined;
      const type = String(field?.ttype ?? 'char');
      const col = type === 'boolean' || type === 'integer' ? 'integer' : type === 'float' || type === 'monetary' ? 'float' : type === 'date' || type === 'datetime' ? 'datetime' : 'char';
      const value = (v: unknown): unknown => (type === 'boolean' ? Boolean(v) : v);
      return {
        changedField: String(field?.field_description ?? ''),
        id: tid,
        ...(s.version >= 17 ? { fieldName: String(field?.name ?? ''), fieldType: type } : {}),
        newValue: { currencyId: false, value: value(t[`new_value_${col}`]) },
        oldValue: { currencyId: false, value: value(t[`old_value_${col}`]) },
      };
    });
    const subtypeName = subtypeId ? s.displayName('mail.message.subtype', subtypeId) : '';
    return {
      id: m.id,
      body: m.body || '',
      date: m.date || false,
      email_from: authorId ? `"${s.displayName('res.partner', authorId)}" <${String(s.value('res.partner', authorId, 'email') || '')}>` : false,
      message_type: m.message_type,
      subtype_id: subtypeId ? [subtypeId, subtypeName] : false,
      subject: m.subject || false,
      model,
      res_id: m.res_id || false,
      record_name: recordName,
      starred_partner_ids: [],
      author: authorId ? { id: authorId, name: s.displayName('res.partner', authorId), is_company: s.value('res.partner', authorId, 'is_company') === true, ...(user ? { user: { id: user.id, isInternalUser: true } } : {}), type: 'partner' } : false,
      default_subject: recordName,
      notifications: [],
      attachments: [],
      trackingValues: tracking,
      linkPreviews: [],
      reactions: [],
      pinned_at: false,
      create_date: m.create_date,
      write_date: m.write_date,
      needaction_partner_ids: [],
      history_partner_ids: [],
      is_note: subtypeName === 'Note',
      is_discussion: subtypeName === 'Discussions',
      subtype_description: false,
      recipients: [],
      scheduledDatetime: false,
      module_icon: model === 'account.move' ? '/account/static/description/icon.png' : false,
      sms_ids: [],
    };
  });
}

/**
 * `mail.activity` create defaults (mail/models/mail_activity.py): the document
 * model from `default_res_model` (an internal user cannot read ir.model
 * itself), the assignee defaults to the caller, the deadline to today. On 17
 * assigning someone else notifies them, which fails when the caller's partner
 * has no e-mail address (seen on a real 17).
 */
export function activityDefaults(s: OdooStore, user: DevUser, vals: Record<string, unknown>, context: Kwargs): Record<string, unknown> {
  const out = { ...vals };
  const resModel = typeof out.res_model === 'string' ? out.res_model : typeof context.default_res_model === 'string' ? context.default_res_model : undefined;
  delete out.res_model;
  if (!out.res_model_id && resModel) out.res_model_id = s.search('ir.model', [['model', '=', resModel]])[0] ?? false;
  if (out.user_id === undefined) out.user_id = user.id;
  if (out.date_deadline === undefined) out.date_deadline = s.now().slice(0, 10);
  if (s.version === 17 && out.user_id !== user.id && !s.value('res.partner', s.value('res.users', user.id, 'partner_id') as number, 'email')) {
    throw userError("Unable to send message, please configure the sender's email address.");
  }
  return out;
}

/**
 * What `mail.activity.create` checks and does around the record
 * (mail/models/mail_activity.py): the caller needs the document's
 * `_mail_post_access` right (account.move: read; other threads: write), on 16
 * the assignee must be able to read it (`_check_access_assignation`), and an
 * activity assigned to someone else notifies them (`action_notify` ->
 * `message_notify`: an e-mail with the default notification type), unless
 * the context says `mail_activity_quick_update`.
 */
export interface ActivityRules {
  /** The model and id of the document the activity is on. */
  documentOf(vals: Record<string, unknown>): { model: string; id: number } | undefined;
  /** Throws the caller's AccessError on the document. */
  checkDocument(model: string, id: number): void;
  /** Whether a user may read a model (16's assignee check). */
  userCanRead(userId: number, model: string): boolean;
}

export function checkActivityCreate(s: OdooStore, vals: Record<string, unknown>, rules: ActivityRules): void {
  const doc = rules.documentOf(vals);
  if (!doc) return;
  rules.checkDocument(doc.model, doc.id);
  const assignee = vals.user_id as number | false;
  if (s.version === 16 && assignee && !rules.userCanRead(assignee, doc.model)) {
    throw userError(`Assigned user ${s.displayName('res.users', assignee)} has no access to the document and is not able to handle this activity.`);
  }
}

/** `action_notify`: the assignee's notification, as the mail.message `message_notify` leaves on the document. */
export function notifyAssignee(s: OdooStore, user: DevUser, activityId: number, context: Kwargs): void {
  const a = s.read('mail.activity', [activityId])[0]!;
  const assignee = a.user_id as number | false;
  if (!assignee || assignee === user.id || context.mail_activity_quick_update) return;
  const model = String(s.value('ir.model', a.res_model_id as number, 'model'));
  const resId = Number(a.res_id);
  const recordName = s.hasModel(model) && s.exists(model, resId) ? s.displayName(model, resId) : '';
  const typeName = a.activity_type_id ? s.displayName('mail.activity.type', a.activity_type_id as number) : '';
  s.insert('mail.message', {
    model,
    res_id: resId,
    subject: `"${recordName}: ${String(a.summary || typeName)}" assigned to you`,
    body: String(a.note || ''),
    message_type: 'user_notification',
    subtype_id: s.xmlidTarget('mail.mt_note')?.resId ?? false,
    author_id: s.value('res.users', user.id, 'partner_id'),
    partner_ids: [s.value('res.users', assignee, 'partner_id')],
    date: s.now(),
  });
}
