/**
 * The Verification of Payee evidence on the suppliers' bank accounts
 * (`res.partner.bank`, fields made by `stetpay install`): read with who last
 * changed each account, written in batches through `load` (one call per 500
 * accounts and set of fields, as the bills' write-back).
 */
import { isVopResult, type VopResult } from '../model/payee-check.js';
import { OdooAccessError } from './errors/odoo-access-error.js';
import { OdooConfigError } from './errors/odoo-config-error.js';
import { isOdooError } from './errors/odoo-error.js';
import type { OdooClient } from './odoo-client.js';
import { chunks, m2oName, str, type OdooRow } from './odoo-values.js';
import { PAYEE_ACCOUNT_FIELD_NAMES } from './payee-field-definitions.js';

/** What a bank account records of its last payee check, and of a person's confirmation. */
export interface PayeeEvidence {
  accountId: number;
  result: VopResult | null;
  matchedName: string | null;
  checkedName: string | null;
  checkedIban: string | null;
  checkedAt: string | null;
  reference: string | null;
  confirmed: boolean;
  confirmedBy: string | null;
  /** Who made the account's last change (Odoo's `write_uid`): the person who ticked Payee confirmed, when that was the last change. */
  lastChangedBy: string | null;
}

/** Values for the account's `x_stet_vop_*` fields; `false` clears one. */
export type PayeeEvidenceValues = Partial<{
  x_stet_vop_result: VopResult | false;
  x_stet_vop_name: string | false;
  x_stet_vop_checked_name: string | false;
  x_stet_vop_checked_iban: string | false;
  x_stet_vop_checked_at: string | false;
  x_stet_vop_reference: string | false;
  x_stet_vop_confirmed: boolean;
  x_stet_vop_confirmed_by: string | false;
}>;

const ROWS_PER_LOAD = 500;

/** A missing field means an older install; a refused write means rights: each said so. */
function explain(e: unknown, what: string): unknown {
  if (!isOdooError(e)) return e;
  if (/invalid field|unknown field|x_stet_vop/i.test(e.message) && !(e instanceof OdooAccessError)) {
    return new OdooConfigError(`the Verification of Payee fields are missing on bank accounts (${e.message.split('\n')[0]}): run stetpay install once more (a Settings administrator), then run again`, { cause: e });
  }
  if (e instanceof OdooAccessError) {
    return new OdooAccessError(`stetpay's Odoo user may not ${what} (bank accounts): give it the Contact Creation right (base.group_partner_manager). Odoo said: ${e.message.split('\n')[0]}`, { cause: e, faultCode: 4 });
  }
  return e;
}

export async function readPayeeEvidence(client: OdooClient, accountIds: readonly number[]): Promise<Map<number, PayeeEvidence>> {
  const out = new Map<number, PayeeEvidence>();
  for (const chunk of chunks([...new Set(accountIds)], 1000)) {
    let rows: OdooRow[];
    try {
      rows = await client.call<OdooRow[]>('res.partner.bank', 'read', [chunk], { fields: [...PAYEE_ACCOUNT_FIELD_NAMES, 'write_uid'], context: { active_test: false } });
    } catch (e) {
      throw explain(e, 'read the payee check');
    }
    for (const r of rows) {
      out.set(r.id, {
        accountId: r.id,
        result: isVopResult(r.x_stet_vop_result) ? r.x_stet_vop_result : null,
        matchedName: str(r.x_stet_vop_name),
        checkedName: str(r.x_stet_vop_checked_name),
        checkedIban: str(r.x_stet_vop_checked_iban),
        checkedAt: str(r.x_stet_vop_checked_at),
        reference: str(r.x_stet_vop_reference),
        confirmed: r.x_stet_vop_confirmed === true,
        confirmedBy: str(r.x_stet_vop_confirmed_by),
        lastChangedBy: m2oName(r.write_uid),
      });
    }
  }
  return out;
}

function cell(v: string | boolean | false | undefined): string {
  if (v === true) return '1';
  if (v === false || v === undefined) return '';
  return v;
}

/**
 * Writes each account's values. Accounts are grouped by the fields they set, so
 * a column never clears a field a row did not name (e.g. a person's fresh
 * confirmation). Datetimes are UTC.
 */
export async function writePayeeEvidence(client: OdooClient, writes: readonly { accountId: number; values: PayeeEvidenceValues }[]): Promise<void> {
  const groups = new Map<string, { accountId: number; values: PayeeEvidenceValues }[]>();
  for (const w of writes) {
    const key = Object.keys(w.values).sort().join(',');
    groups.set(key, [...(groups.get(key) ?? []), w]);
  }
  for (const [key, rows] of groups) {
    const fields = key.split(',') as (keyof PayeeEvidenceValues)[];
    for (const batch of chunks(rows, ROWS_PER_LOAD)) {
      const data = batch.map((w) => [String(w.accountId), ...fields.map((f) => cell(w.values[f]))]);
      let res: { ids: number[] | false; messages: { type: string; message: string }[] };
      try {
        res = await client.call('res.partner.bank', 'load', [['.id', ...fields], data], { context: { tz: 'UTC', lang: 'en_US' } }, { retry: 'idempotent' });
      } catch (e) {
        throw explain(e, 'record the payee check');
      }
      const error = (res.messages ?? []).find((m) => m.type === 'error');
      if (res.ids === false || error) throw explain(new OdooConfigError(`Odoo refused the payee check evidence of ${batch.length} bank account(s): ${error?.message ?? 'no detail'}`), 'record the payee check');
    }
  }
}
