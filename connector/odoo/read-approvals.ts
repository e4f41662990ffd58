/**
 * What the run needs to judge a page of bills' approvals, in four calls
 * whatever the page's size: the approvals (`x_stet_approval`), who created
 * each bill, the history of their recipient accounts (create/write uid and
 * date) and the confirmations of those accounts (`x_stet_account_check`); and,
 * once per run, the approvers' group's members (`res.users` whose groups_id
 * holds it, readable by every internal user).
 */
import type { AccountConfirmation, ApprovalRecord, OdooPersonRef } from '../model/index.js';
import type { AccountHistory } from '../rules/approval-policy.js';
import { normalizeIban } from '../rules/iban.js';
import { toCents } from '../rules/money.js';
import { ACCOUNT_CHECK_MODEL, APPROVAL_FIELD_NAMES, APPROVAL_MODEL } from './approval-field-definitions.js';
import { isOdooError, OdooAccessError, OdooConfigError } from './errors.js';
import type { OdooClient } from './odoo-client.js';
import { chunks, m2oId, m2oName, num, str, type OdooRow } from './odoo-values.js';
import { odooDialect } from './odoo-dialect.js';

function person(v: unknown): OdooPersonRef | null {
  const id = m2oId(v);
  return id === null ? null : { id, name: m2oName(v) ?? `user ${id}` };
}

/** A missing model means an older install; a refusal means rights: each said so, with what to do. */
function explain(e: unknown, what: string): unknown {
  if (!isOdooError(e)) return e;
  if (e instanceof OdooAccessError) {
    return new OdooAccessError(
      `stetpay's Odoo user may not ${what}: \`stetpay install\` gives the invoicing group (Invoicing / Billing) read and create on ${APPROVAL_MODEL} and ${ACCOUNT_CHECK_MODEL}; run it again as a Settings administrator, and check the user is in that group. Odoo said: ${e.message.split('\n')[0]}`,
      { cause: e, faultCode: 4 },
    );
  }
  if (/doesn't exist|does not exist|invalid field|unknown field/i.test(e.message)) {
    return new OdooConfigError(`the approvals are not installed in Odoo (${e.message.split('\n')[0]}): run stetpay install once more (a Settings administrator), then run again`, { cause: e });
  }
  return e;
}

async function call<T>(client: OdooClient, what: string, model: string, method: string, args: unknown[], kwargs: Record<string, unknown>): Promise<T> {
  try {
    return await client.call<T>(model, method, args, kwargs, { retry: 'read' });
  } catch (e) {
    throw explain(e, what);
  }
}

/** The approvals of these bills, oldest first. */
export async function readApprovals(client: OdooClient, billIds: readonly number[]): Promise<ApprovalRecord[]> {
  const out: ApprovalRecord[] = [];
  for (const chunk of chunks([...new Set(billIds)], 1000)) {
    const rows = await call<OdooRow[]>(client, 'read the approvals', APPROVAL_MODEL, 'search_read', [[['x_move_id', 'in', chunk]]], { fields: [...APPROVAL_FIELD_NAMES, 'create_uid', 'create_date'], order: 'id asc' });
    for (const r of rows) {
      const approver = person(r.create_uid);
      const billId = m2oId(r.x_move_id);
      if (!approver || billId === null) continue; // Odoo always says who; a record without it counts for nothing
      out.push({
        id: r.id,
        billId,
        supplierId: m2oId(r.x_partner_id),
        accountId: m2oId(r.x_bank_account_id),
        iban: normalizeIban(str(r.x_iban)) || null,
        holder: str(r.x_holder)?.trim() || null,
        amountCents: toCents(num(r.x_amount)), // the same float the bill's amount due gives: exact in cents, no 32-bit limit
        currency: str(r.x_currency) ?? '',
        state: str(r.x_move_state) ?? '',
        approver,
        approvedAt: String(r.create_date),
      });
    }
  }
  return out;
}

/** Who created each bill (`create_uid`). */
export async function readBillAuthors(client: OdooClient, billIds: readonly number[]): Promise<Map<number, OdooPersonRef | null>> {
  const out = new Map<number, OdooPersonRef | null>();
  for (const chunk of chunks([...new Set(billIds)], 1000)) {
    for (const r of await call<OdooRow[]>(client, 'read the bills', 'account.move', 'read', [chunk], { fields: ['create_uid'] })) out.set(r.id, person(r.create_uid));
  }
  return out;
}

/**
 * Who created and last changed each bank account, and when; on 17 also every
 * tracked change of its IBAN, holder, trusted flag or owner (`changes`).
 */
export async function readAccountHistory(client: OdooClient, accountIds: readonly number[]): Promise<Map<number, AccountHistory>> {
  const out = new Map<number, AccountHistory>();
  const changes = await readTrackedChanges(client, 'res.partner.bank', accountIds, ACCOUNT_TRACKED_FIELDS);
  for (const chunk of chunks([...new Set(accountIds)], 1000)) {
    const rows = await call<OdooRow[]>(client, 'read the bank accounts', 'res.partner.bank', 'read', [chunk], { fields: ['create_uid', 'create_date', 'write_uid', 'write_date'], context: { active_test: false } });
    for (const r of rows) {
      const history: AccountHistory = { id: r.id, createdBy: person(r.create_uid), createdAt: str(r.create_date), changedBy: person(r.write_uid), changedAt: str(r.write_date) };
      if (changes) history.changes = changes.filter((c) => c.resId === r.id).map(({ by, at, fields }) => ({ by, at, fields }));
      out.set(r.id, history);
    }
  }
  return out;
}

/** The fields of res.partner.bank whose change makes someone "who changed the account" (account/models/res_partner_bank.py: `tracking=True`). */
export const ACCOUNT_TRACKED_FIELDS = ['acc_number', 'acc_holder_name', 'allow_out_payment', 'partner_id'] as const;

interface FormattedMessage {
  id: number;
  res_id: number | false;
  date?: string | false;
  author: { name?: string; user?: { id?: number } } | false;
  trackingValues?: { fieldName?: string }[];
}

interface TrackedChange {
  resId: number;
  by: OdooPersonRef;
  at: string;
  fields: string[];
}

/**
 * The tracked changes of `fields` on these records, oldest first, where Odoo
 * lets an invoicing user see them: 17 gives the chatter's tracking values
 * through `mail.message.message_format` (mail.tracking.value itself is refused
 * to that user); 16 names no field there and 18 has no message_format: null.
 * Two calls per 1,000 records.
 */
async function readTrackedChanges(client: OdooClient, model: string, ids: readonly number[], fields: readonly string[]): Promise<TrackedChange[] | null> {
  if (!odooDialect(client.version).trackingReadableByInvoicingUser) return null;
  const out: TrackedChange[] = [];
  for (const chunk of chunks([...new Set(ids)], 1000)) {
    const found = await call<number[]>(client, 'read the chatter', 'mail.message', 'search', [[['model', '=', model], ['res_id', 'in', chunk], ['message_type', '=', 'notification']]], { order: 'id asc' });
    if (found.length === 0) continue;
    const messages = await call<FormattedMessage[]>(client, 'read the chatter', 'mail.message', 'message_format', [found], {});
    for (const m of [...messages].sort((a, b) => a.id - b.id)) {
      const userId = m.author ? m.author.user?.id : undefined;
      const changed = (m.trackingValues ?? []).map((t) => t.fieldName ?? '').filter((f) => fields.includes(f));
      if (typeof m.res_id === 'number' && userId && changed.length) out.push({ resId: m.res_id, by: { id: userId, name: (m.author && m.author.name) || `user ${userId}` }, at: String(m.date || ''), fields: changed });
    }
  }
  return out;
}

/**
 * Who last set each bill's recipient account, where Odoo lets an invoicing
 * user see it (17: `partner_bank_id` is tracked; 16 does not track it, 18 has
 * no message_format, so there the map stays empty).
 */
export async function readAccountSetters(client: OdooClient, billIds: readonly number[]): Promise<Map<number, OdooPersonRef>> {
  const out = new Map<number, OdooPersonRef>();
  for (const c of (await readTrackedChanges(client, 'account.move', billIds, ['partner_bank_id'])) ?? []) out.set(c.resId, c.by);
  return out;
}

/** The confirmations of these accounts, oldest first. */
export async function readAccountConfirmations(client: OdooClient, accountIds: readonly number[]): Promise<AccountConfirmation[]> {
  const out: AccountConfirmation[] = [];
  for (const chunk of chunks([...new Set(accountIds)], 1000)) {
    const rows = await call<OdooRow[]>(client, 'read the bank account confirmations', ACCOUNT_CHECK_MODEL, 'search_read', [[['x_bank_account_id', 'in', chunk]]], { fields: ['x_bank_account_id', 'x_iban', 'x_holder', 'create_uid', 'create_date'], order: 'id asc' });
    for (const r of rows) {
      const by = person(r.create_uid);
      const accountId = m2oId(r.x_bank_account_id);
      if (!by || accountId === null) continue;
      out.push({ accountId, iban: normalizeIban(str(r.x_iban)) || null, holder: str(r.x_holder)?.trim() || null, by, at: String(r.create_date) });
    }
  }
  return out;
}

/** The active members of a group (xml id `module.name`); none when Odoo has no such group. */
export async function readGroupMembers(client: OdooClient, group: string): Promise<Set<number>> {
  const [module, name] = group.split('.') as [string, string];
  let groupId: number | false;
  try {
    [, groupId] = await client.call<[string, number | false]>('ir.model.data', 'check_object_reference', [module, name], undefined, { retry: 'read' });
  } catch (e) {
    if (isOdooError(e) && !(e instanceof OdooAccessError)) return new Set(); // External ID not found
    throw e;
  }
  if (!groupId) return new Set();
  const ids = await client.call<number[]>('res.users', 'search', [[['groups_id', 'in', [groupId]]]], undefined, { retry: 'read' });
  return new Set(ids);
}
