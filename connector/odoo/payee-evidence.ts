/**
 * The Verification of Payee evidence in Odoo: the `x_stet_payee_check`
 * records (payee-field-definitions.ts), read with who last changed each
 * (Odoo's `write_uid`, which no caller can set), created in batches, changed
 * one by one (rare: only when the provider's answer changed).
 */
import { isVopResult, type VopResult } from '../model/payee-check.js';
import { isOdooError, OdooAccessError, OdooConfigError } from './errors.js';
import type { OdooClient } from './odoo-client.js';
import { chunks, m2oId, m2oName, str, type OdooRow } from './odoo-values.js';
import { PAYEE_CHECK_FIELD_NAMES, PAYEE_CHECK_MODEL } from './payee-field-definitions.js';

/** An Odoo user as a many2one gives it. */
export interface OdooUserRef {
  id: number;
  name: string;
}

/** One check record as stetpay reads it. */
export interface PayeeCheckRecord {
  id: number;
  accountId: number | null;
  iban: string | null;
  name: string | null;
  result: VopResult | null;
  matchedName: string | null;
  reasonCode: string | null;
  reference: string | null;
  checkedAt: string | null;
  confirmed: boolean;
  /** Who made the record's last change, and when (Odoo's `write_uid`, `write_date`): with `confirmed`, the person who confirmed. */
  lastChangedBy: OdooUserRef | null;
  lastChangedAt: string | null;
}

/** Values of a check record's fields; `false` clears one. Datetimes `YYYY-MM-DD HH:MM:SS` UTC. */
export type PayeeCheckValues = Partial<{
  x_name: string;
  x_bank_account_id: number;
  x_iban: string;
  x_payee_name: string;
  x_result: VopResult | false;
  x_matched_name: string | false;
  x_reason_code: string | false;
  x_reference: string | false;
  x_checked_at: string | false;
  x_confirmed: boolean;
}>;

const CREATE_BATCH = 500;

/** A missing model means an older install; a refusal means rights: each said so, with what to do. */
function explain(e: unknown, what: string): unknown {
  if (!isOdooError(e)) return e;
  if (e instanceof OdooAccessError) {
    return new OdooAccessError(
      `stetpay's Odoo user may not ${what} (payee checks, ${PAYEE_CHECK_MODEL}): \`stetpay install\` gives the invoicing group (Invoicing / Billing) read, create and write on them; ` +
        `run it again as a Settings administrator, and check the user is in that group. Odoo said: ${e.message.split('\n')[0]}`,
      { cause: e, faultCode: 4 },
    );
  }
  if (/doesn't exist|does not exist|invalid field|unknown field/i.test(e.message)) {
    return new OdooConfigError(`the Verification of Payee evidence is not installed in Odoo (${e.message.split('\n')[0]}): run stetpay install once more (a Settings administrator), then run again`, { cause: e });
  }
  return e;
}

function userRef(v: unknown): OdooUserRef | null {
  const id = m2oId(v);
  return id === null ? null : { id, name: m2oName(v) ?? `user ${id}` };
}

/** The check records of these accounts for these IBANs, oldest first. */
export async function readPayeeChecks(client: OdooClient, accountIds: readonly number[], ibans: readonly string[]): Promise<PayeeCheckRecord[]> {
  const out: PayeeCheckRecord[] = [];
  const ibanList = [...new Set(ibans)];
  for (const chunk of chunks([...new Set(accountIds)], 1000)) {
    let rows: OdooRow[];
    try {
      rows = await client.call<OdooRow[]>(PAYEE_CHECK_MODEL, 'search_read', [[['x_bank_account_id', 'in', chunk], ['x_iban', 'in', ibanList]]], { fields: [...PAYEE_CHECK_FIELD_NAMES, 'write_uid', 'write_date'], order: 'id asc' });
    } catch (e) {
      throw explain(e, 'read the payee checks');
    }
    for (const r of rows) {
      out.push({
        id: r.id,
        accountId: m2oId(r.x_bank_account_id),
        iban: str(r.x_iban),
        name: str(r.x_payee_name),
        result: isVopResult(r.x_result) ? r.x_result : null,
        matchedName: str(r.x_matched_name),
        reasonCode: str(r.x_reason_code),
        reference: str(r.x_reference),
        checkedAt: str(r.x_checked_at),
        confirmed: r.x_confirmed === true,
        lastChangedBy: userRef(r.write_uid),
        lastChangedAt: str(r.write_date),
      });
    }
  }
  return out;
}

/** Creates the records (one call per 500); their ids in the same order. Not retried: a second create would duplicate them. */
export async function createPayeeChecks(client: OdooClient, values: readonly PayeeCheckValues[]): Promise<number[]> {
  const ids: number[] = [];
  for (const batch of chunks([...values], CREATE_BATCH)) {
    try {
      ids.push(...(await client.call<number[]>(PAYEE_CHECK_MODEL, 'create', [batch])));
    } catch (e) {
      throw explain(e, 'record the payee checks');
    }
  }
  return ids;
}

/** Changes one record (the same values again change nothing: safe to retry). */
export async function writePayeeCheck(client: OdooClient, id: number, values: PayeeCheckValues): Promise<void> {
  try {
    await client.call(PAYEE_CHECK_MODEL, 'write', [[id], values], undefined, { retry: 'idempotent' });
  } catch (e) {
    throw explain(e, 'record the payee checks');
  }
}
