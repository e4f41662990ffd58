/**
 * The doctor's Odoo checks: reachable, a supported version, the login, the
 * stetpay fields, and the model rights the daily commands need (those of an
 * invoicing user: no administrator right is asked; `stetpay install` alone needs one).
 */
import { ACCOUNT_CHECK_MODEL, APPROVAL_BILL_FIELDS, APPROVAL_MODEL, isSupportedOdooVersion, majorVersion, OdooClient, PAYEE_BILL_FIELD_NAMES, PAYEE_CHECK_MODEL, parseOdooUrl, STET_FIELD_NAMES, SUPPORTED_ODOO_VERSIONS } from '../../connector/odoo/index.js';
import { XmlRpcTransport } from '../../connector/odoo/xmlrpc-transport.js';
import type { OdooConfig } from '../config/index.js';
import { fail, ok, skip, type DoctorCheck } from './doctor-report.js';

export type Right = readonly [model: string, operation: 'read' | 'write' | 'create' | 'unlink'];

/**
 * What run, worker, sync, report, cancel, resolve, retry and export read and write in
 * Odoo (manifest.json lists them with why). Not the models only `install`
 * touches (ir.model.fields, ir.ui.view...), nor ir.model.data, which Odoo
 * denies to a user without Settings rights.
 */
export const DAILY_RIGHTS: readonly Right[] = [
  ['account.move', 'read'], ['account.move', 'write'], ['res.partner', 'read'], ['res.partner.bank', 'read'], ['res.bank', 'read'],
  ['res.company', 'read'], ['account.journal', 'read'], ['account.payment', 'read'], ['account.payment', 'create'],
  ['account.payment.register', 'create'], ['mail.message', 'create'],
  // Odoo's to-dos after each sync: the signatories' morning summary, the clerks' to-do per payment (docs/signatory.md)
  ['mail.activity', 'read'], ['mail.activity', 'create'], ['mail.activity', 'unlink'], ['res.users', 'read'],
  // the Verification of Payee evidence: stetpay's own model, which install opens to the invoicing group
  [PAYEE_CHECK_MODEL, 'read'], [PAYEE_CHECK_MODEL, 'create'], [PAYEE_CHECK_MODEL, 'write'],
  // the approvals and account confirmations the run reads (people create them with the server actions)
  [APPROVAL_MODEL, 'read'], [ACCOUNT_CHECK_MODEL, 'read'],
];

/** The fields install puts on vendor bills (the approvals' one2many missing: the approval model and its action are not installed). */
const BILL_FIELD_NAMES = [...STET_FIELD_NAMES, ...PAYEE_BILL_FIELD_NAMES, ...APPROVAL_BILL_FIELDS.map((f) => f.name)];

/** "16, 17 and 18" / "16, 17 or 18", from the dialect records. */
const versions = (last: 'and' | 'or'): string => `${SUPPORTED_ODOO_VERSIONS.slice(0, -1).join(', ')} ${last} ${SUPPORTED_ODOO_VERSIONS.at(-1)}`;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function odooChecks(odoo: Readonly<OdooConfig>, rights: readonly Right[] = DAILY_RIGHTS): Promise<DoctorCheck[]> {
  const later = (why: string) => ['odoo.login', 'odoo.fields', 'odoo.rights'].map((id) => skip(id, why));
  let info: unknown;
  try {
    const transport = new XmlRpcTransport({ url: parseOdooUrl(odoo.url), timeoutMs: odoo.timeoutMs, ...(odoo.caPem ? { ca: odoo.caPem } : {}) });
    try {
      info = await transport.call('common', 'version', [], 'common.version');
    } finally {
      transport.close();
    }
  } catch (err) {
    return [fail('odoo.reachable', message(err), 'check odoo.url (STETPAY_ODOO_URL) and that Odoo runs there.'), skip('odoo.version', 'Odoo could not be reached.'), ...later('Odoo could not be reached.')];
  }
  const version = String((info as { server_version?: unknown }).server_version ?? '?');
  const checks = [ok('odoo.reachable', `Odoo answers at ${odoo.url}.`)];
  if (!isSupportedOdooVersion(majorVersion(info))) {
    return [...checks, fail('odoo.version', `Odoo ${version} is not supported (stetpay works with Odoo ${versions('and')}).`, `use an Odoo ${versions('or')} database.`), ...later(`Odoo ${version} is not supported.`)];
  }
  checks.push(ok('odoo.version', `Odoo ${version} (supported: ${SUPPORTED_ODOO_VERSIONS.join(', ')}).`));

  let client: OdooClient;
  try {
    client = await OdooClient.connect({ url: odoo.url, database: odoo.database, username: odoo.username, password: odoo.password, timeoutMs: odoo.timeoutMs, ...(odoo.caPem ? { ca: odoo.caPem } : {}) });
  } catch (err) {
    return [...checks, fail('odoo.login', message(err), 'check odoo.database, odoo.username and odoo.password (an API key: My Profile > Account Security > New API Key).'), skip('odoo.fields', 'the login failed.'), skip('odoo.rights', 'the login failed.')];
  }
  try {
    checks.push(ok('odoo.login', `logged in as ${odoo.username} on database ${odoo.database} (uid ${client.uid}).`));
    checks.push(await fieldsCheck(client));
    checks.push(await rightsCheck(client, odoo.username, rights));
    return checks;
  } finally {
    client.close();
  }
}

async function fieldsCheck(client: OdooClient): Promise<DoctorCheck> {
  try {
    // fields_get answers any user who may read bills, and leaves out the names that do not exist.
    const found = await client.call<Record<string, unknown>>('account.move', 'fields_get', [BILL_FIELD_NAMES], { attributes: ['type'] });
    const missing = BILL_FIELD_NAMES.filter((n) => !(n in found));
    if (missing.length === 0) return ok('odoo.fields', `the ${BILL_FIELD_NAMES.length} x_stet_* fields are on vendor bills.`);
    return fail('odoo.fields', `${missing.length} of the ${BILL_FIELD_NAMES.length} stetpay fields are missing on account.move (${missing.join(', ')}).`, 'run stetpay install once, as a user with Settings rights.');
  } catch (err) {
    return fail('odoo.fields', `the fields of account.move could not be read: ${message(err)}`, 'give the user the Invoicing (Billing) or Accounting rights in Settings > Users.');
  }
}

async function rightsCheck(client: OdooClient, user: string, rights: readonly Right[]): Promise<DoctorCheck> {
  const denied: string[] = [];
  for (const [model, op] of rights) {
    try {
      // Odoo 16-18: the model-level right as a boolean (18 deprecates it for has_access, and keeps it).
      if ((await client.call<boolean>(model, 'check_access_rights', [op], { raise_exception: false })) !== true) denied.push(`${op} ${model}`);
    } catch (err) {
      // a model install has not made yet (the payee checks): odoo.fields says to run install
      if (/Object \S+ doesn't exist/.test(message(err))) continue;
      return fail('odoo.rights', `the rights of ${user} could not be checked on ${model}: ${message(err)}`, 'check that the user is an internal user with the Invoicing (Billing) rights.');
    }
  }
  if (denied.length === 0) return ok('odoo.rights', `${user} has the ${rights.length} rights the daily commands need (no administrator right is needed).`);
  return fail('odoo.rights', `${user} may not ${denied.join(', ')}.`, `give ${user} the Invoicing (Billing) or Accounting rights in Settings > Users (the daily commands need no administrator).`);
}
