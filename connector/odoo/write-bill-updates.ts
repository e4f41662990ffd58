/**
 * Writes payment results back onto the bills in batches. Different values per
 * bill go through Odoo's import, `load(fields, rows)` with a `.id` column (odoo/
 * models.py: `.id` = database id, an existing record is updated; errors come back
 * in `messages` and then nothing of that call is written; a column Odoo does not
 * know faults the whole call instead). Rows are grouped by the
 * set of fields they set, so no column ever clears a field a row did not mention.
 * Chatter notes go in one `mail.message` create per 1,000 notes, after one
 * look-up of the note subtype (cached per client) that an invoicing user may make.
 * N results cost at most ceil(N/500) + (field sets - 1) loads, ceil(N/1000)
 * note creates and 1 look-up: 1,000 results with 3 field sets, 6 calls (the
 * write-back budget is ceil(N/200) + 10).
 */
import { odooNow, STET_ID_FIELDS, type BillUpdate, type StetFieldValues } from '../model/stet-fields.js';
import { OdooLoadError, refusedRows, type OdooLoadMessage } from './errors.js';
import type { OdooClient } from './odoo-client.js';
import { chunks } from './odoo-values.js';

/** Rows per `load` call. */
export const LOAD_BATCH = 500;
/** Notes per `mail.message` create call. */
export const NOTE_BATCH = 1000;

/** load() takes text cells, converted as an import does: '' empties a field. */
function cell(v: StetFieldValues[keyof StetFieldValues]): string {
  if (v === false || v === undefined) return '';
  return String(v);
}

/** Plain text -> the HTML body of a note (Odoo 16 stores bodies as HTML; 17/18 too via mail.message.create). */
export function noteHtml(text: string): string {
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `<p>${esc.replace(/\n/g, '<br>')}</p>`;
}

export async function writeBillUpdates(client: OdooClient, updates: BillUpdate[], now: Date = new Date()): Promise<{ calls: number }> {
  const before = client.calls;
  const stamp = odooNow(now);
  const groups = new Map<string, { fields: string[]; rows: BillUpdate[] }>();
  for (const u of updates) {
    const values: StetFieldValues = { ...u.values };
    if (values.x_stet_updated_at === undefined) values.x_stet_updated_at = stamp;
    for (const [k, v] of Object.entries(values)) if (v === undefined) delete (values as Record<string, unknown>)[k];
    const fields = Object.keys(values).sort();
    const key = fields.join(',');
    const g = groups.get(key) ?? { fields, rows: [] };
    g.rows.push({ ...u, values });
    groups.set(key, g);
  }
  for (const { fields, rows } of groups.values()) {
    for (const batch of chunks(rows, LOAD_BATCH)) {
      const data = batch.map((u) => [String(u.billId), ...fields.map((f) => cell(u.values[f as keyof StetFieldValues]))]);
      // same values again give the same result: safe to retry on a lost connection. Messages in
      // English (always installed), so refusedRows reads them whatever the user's language.
      // A many2one takes a database id under `field/.id` (an import's column for it, ir_fields.py db_id_for).
      const columns = fields.map((f) => ((STET_ID_FIELDS as readonly string[]).includes(f) ? `${f}/.id` : f));
      const res = await client.call<{ ids: number[] | false; messages: OdooLoadMessage[] }>('account.move', 'load', [['.id', ...columns], data], { context: { tz: 'UTC', lang: 'en_US' } }, { retry: 'idempotent' });
      const errors = (res.messages ?? []).filter((m) => m.type === 'error');
      if (res.ids === false || errors.length) {
        const first = errors[0];
        const bill = first?.record !== undefined ? batch[first.record]?.billId : undefined;
        throw new OdooLoadError(
          `Odoo refused to record ${batch.length} bill result(s)${bill !== undefined ? ` (bill ${bill}, field ${first?.field ?? '?'})` : ''}: ${first?.message ?? 'no detail'}. Nothing of this batch was written; run stetpay install if a field is missing.`,
          res.messages ?? [],
          batch.map((u) => u.billId),
          refusedRows(res.messages ?? []).flatMap(({ row, message }) => (batch[row] ? [{ billId: batch[row].billId, message }] : [])),
        );
      }
    }
  }
  const notes = updates.filter((u) => u.note);
  if (notes.length) {
    const subtypeId = await noteSubtypeId(client);
    for (const batch of chunks(notes, NOTE_BATCH)) {
      // not retried: a second create would duplicate the notes
      await client.call('mail.message', 'create', [
        batch.map((u) => ({ model: 'account.move', res_id: u.billId, body: noteHtml(u.note!), message_type: 'comment', ...(subtypeId ? { subtype_id: subtypeId } : {}) })),
      ]);
    }
  }
  return { calls: client.calls - before };
}

const subtypeCache = new WeakMap<OdooClient, number | false>();

/**
 * The id of `mail.mt_note` (an internal note: no e-mail to followers), through
 * `ir.model.data.check_object_reference`: it needs only read access to message
 * subtypes, which every internal user has, where reading ir.model.data itself
 * is for administrators (fault 4 to an invoicing user). Same method in 16/17/18.
 */
export async function noteSubtypeId(client: OdooClient): Promise<number | false> {
  const cached = subtypeCache.get(client);
  if (cached !== undefined) return cached;
  const [, id] = await client.call<[string, number | false]>('ir.model.data', 'check_object_reference', ['mail', 'mt_note'], undefined, { retry: 'read' });
  subtypeCache.set(client, id || false);
  return id || false;
}
