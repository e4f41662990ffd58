/**
 * Odoo's own to-dos (`mail.activity`, type To-Do) for the people stetpay must
 * tell something: created on vendor bills (a Billing user may: account.move's
 * `_mail_post_access` is read; a journal or a partner would need write), in
 * one `create` call per batch; Odoo e-mails each assignee (notification type
 * e-mail, the default) and shows the to-do in their activities. The document
 * model is given through `default_res_model` (an invoicing user cannot read
 * ir.model) and the To-Do type through `check_object_reference` (it cannot
 * read ir.model.data). Same fields and calls in 16, 17 and 18. See docs/odoo.md.
 */
import { OdooUserError } from './errors.js';
import type { OdooClient } from './odoo-client.js';
import { chunks, m2oId, str, type OdooRow } from './odoo-values.js';

/** One to-do to create. */
export interface ActivityDraft {
  billId: number;
  userId: number;
  summary: string;
  /** HTML (Odoo's Html field; e-mailed as the to-do's note). */
  note: string;
  /** YYYY-MM-DD */
  deadline: string;
}

/** An Odoo user stetpay tells something to. */
export interface OdooPerson {
  id: number;
  name: string;
  /** Odoo's language code (en_US, fr_FR...). */
  lang: string;
}

/** Who: Odoo logins and/or the members of a group (its xml id, e.g. `account.group_account_manager`). */
export interface Recipients {
  users?: readonly string[];
  group?: string;
}

/**
 * Odoo 17 cannot send the assignee's notification because stetpay's own Odoo
 * user has no e-mail address (fault 2, "Unable to send message, please
 * configure the sender's email address."): nothing was created.
 */
export class ActivitySenderError extends OdooUserError {}

const SENDER = /configure the sender's email address/i;

const ACTIVITY_BATCH = 500;
const todoType = new WeakMap<OdooClient, number | false>();

async function todoTypeId(client: OdooClient): Promise<number | false> {
  const cached = todoType.get(client);
  if (cached !== undefined) return cached;
  const [, id] = await client.call<[string, number | false]>('ir.model.data', 'check_object_reference', ['mail', 'mail_activity_data_todo'], undefined, { retry: 'read' });
  todoType.set(client, id || false);
  return id || false;
}

/** Creates the to-dos, one call per 500; returns their ids. @throws ActivitySenderError (see above), naming the user to fix. */
export async function createActivities(client: OdooClient, drafts: readonly ActivityDraft[]): Promise<number[]> {
  if (drafts.length === 0) return [];
  const type = await todoTypeId(client);
  const ids: number[] = [];
  for (const batch of chunks(drafts, ACTIVITY_BATCH)) {
    const vals = batch.map((d) => ({ res_id: d.billId, user_id: d.userId, summary: d.summary, note: d.note, date_deadline: d.deadline, ...(type ? { activity_type_id: type } : {}) }));
    try {
      // not retried: a second create would make every to-do twice
      ids.push(...(await client.call<number[]>('mail.activity', 'create', [vals], { context: { default_res_model: 'account.move' } })));
    } catch (err) {
      if (err instanceof OdooUserError && SENDER.test(err.message)) {
        throw new ActivitySenderError(
          `Odoo cannot e-mail the to-dos: stetpay's Odoo user (${client.username}) has no e-mail address, which Odoo 17 needs to notify an assignee. ` +
            `Set one on that user (Settings > Users > ${client.username} > Email); until then no to-do is created, and stetpay tries again at the next sync.`,
          { call: 'mail.activity.create', faultCode: 2, faultString: err.message },
        );
      }
      throw err;
    }
  }
  return ids;
}

/** The open to-dos stetpay created whose summary ends with `marker`, for these users, due before `before` (YYYY-MM-DD). */
export async function findOwnActivities(client: OdooClient, userIds: readonly number[], marker: string, before: string): Promise<number[]> {
  if (userIds.length === 0) return [];
  return client.call<number[]>('mail.activity', 'search', [[['res_model', '=', 'account.move'], ['user_id', 'in', [...userIds]], ['create_uid', '=', client.uid], ['summary', '=like', `%${marker}`], ['date_deadline', '<', before]]]);
}

export async function removeActivities(client: OdooClient, ids: readonly number[]): Promise<void> {
  if (ids.length) await client.call('mail.activity', 'unlink', [[...ids]]);
}

/** The active users named by login or by group (duplicates once), in id order. */
export async function findPeople(client: OdooClient, who: Recipients): Promise<OdooPerson[]> {
  const clauses: unknown[][] = [];
  if (who.users?.length) clauses.push([['login', 'in', [...who.users]]]);
  if (who.group) {
    const [module, name] = who.group.split('.');
    const [, groupId] = await client.call<[string, number]>('ir.model.data', 'check_object_reference', [module, name], undefined, { retry: 'read' });
    clauses.push([['groups_id', 'in', [groupId]]]);
  }
  const byId = new Map<number, OdooPerson>();
  for (const domain of clauses) {
    const rows = await client.call<OdooRow[]>('res.users', 'search_read', [domain], { fields: ['name', 'lang', 'partner_id'], order: 'id asc' });
    for (const r of rows) if (m2oId(r.partner_id) !== null) byId.set(r.id, { id: r.id, name: String(r.name), lang: str(r.lang) ?? 'en_US' });
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
