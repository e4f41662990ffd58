import { OdooClient } from '../../connector/odoo/index.js';
import type { OdooConfig } from '../config/index.js';
import { insecureOdooWarning } from '../config/odoo-url-rules.js';

/** Logs in to the configured Odoo (fails with a typed Odoo error that says what to fix). */
export function openOdoo(odoo: Readonly<OdooConfig>): Promise<OdooClient> {
  const warning = insecureOdooWarning(odoo);
  if (warning) console.error(warning); // every start, every command: the operator chose clear text
  return OdooClient.connect({
    url: odoo.url,
    database: odoo.database,
    username: odoo.username,
    password: odoo.password,
    timeoutMs: odoo.timeoutMs,
    ca: odoo.caPem,
  });
}

/** The paying company's bank journal (the first by sequence with a bank account), or undefined. */
export async function findBankJournalId(client: OdooClient): Promise<number | undefined> {
  const rows = await client.call<{ id: number }[]>('account.journal', 'search_read', [[['type', '=', 'bank'], ['bank_account_id', '!=', false]]], {
    fields: ['id'],
    order: 'sequence asc, id asc',
    limit: 1,
  });
  return rows[0]?.id;
}
