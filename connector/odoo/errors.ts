/** Base of every error the Odoo connector throws; `call` names what was called (`account.move.write`). */
export class OdooError extends Error {
  readonly isOdooError = true;
  /** `model.method` or `common.authenticate`. */
  call?: string;
  /** Odoo's XML-RPC fault code, when the error is a fault. */
  faultCode?: number;
  /** The full fault string (a Python traceback for code 1). */
  faultString?: string;
  constructor(message: string, opts: { call?: string; faultCode?: number; faultString?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    if (opts.call !== undefined) this.call = opts.call;
    if (opts.faultCode !== undefined) this.faultCode = opts.faultCode;
    if (opts.faultString !== undefined) this.faultString = opts.faultString;
  }
}

/** True for any OdooError, also across realms and processes (by flag or name). */
export const isOdooError = (e: unknown): e is OdooError =>
  e instanceof OdooError || (typeof e === 'object' && e !== null && (e as OdooError).isOdooError === true);

/** Fault 3: Odoo refused the credentials of an `execute_kw` (password or API key revoked or wrong). */
export class OdooAccessDeniedError extends OdooError {}

/** Fault 4: the user lacks a right (access rule, record rule, private method). */
export class OdooAccessError extends OdooError {}

/** Fault 2: Odoo refused the operation with a message for a person (UserError, ValidationError, unknown model). */
export class OdooUserError extends OdooError {}
/** Fault 2, MissingError: a record does not exist or has been deleted. */
export class OdooMissingError extends OdooUserError {}

/** Fault 1: any other server error; the message is the traceback's last line, `faultString` the whole traceback. */
export class OdooServerError extends OdooError {
  /** True when Odoo could not marshal a None result: the method ran and committed, re-read to know. */
  get returnedNone(): boolean {
    return /cannot marshal None/.test(this.message);
  }
}

/**
 * Odoo does not know one of stetpay's `x_stet_*` fields: `stetpay install` has
 * not run on this database (or not since this stetpay added the field). Odoo
 * says so as fault 1, differently per call: a domain or read/write
 * (`ValueError: Invalid field …`), `load` on 16/17 (`KeyError: 'x_stet_…'`)
 * and on 18 (`ValueError: Invalid field name 'x_stet_…'`). Nothing is wrong with
 * any bill: the whole call waits for the install.
 */
export class OdooFieldsMissingError extends OdooServerError {
  constructor(
    readonly field: string,
    opts: { call?: string; faultCode?: number; faultString?: string } = {},
  ) {
    super(`Odoo has no field ${field.includes('.') ? field : `account.move.${field}`}: stetpay's fields are not installed in this database; run \`stetpay install\` first (as a Settings administrator)`, opts);
  }
}

/** The stetpay field a fault-1 last line says Odoo does not know, if it says so. */
export function missingStetField(lastLine: string): string | undefined {
  const m = /Invalid field (?:name )?'?((?:[\w.]+\.)?x_stet_\w+)'?|KeyError: '(x_stet_\w+)'/.exec(lastLine);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Odoo could not be reached or did not answer in time (or the URL is not an Odoo XML-RPC endpoint). */
export class OdooConnectionError extends OdooError {
  /** True when the request may have reached Odoo (time-out, reset after sending): a write may have happened. */
  maybeDone = false;
}

/** The login failed (`authenticate` returned False): wrong user, password/API key or database. */
export class OdooAuthError extends OdooError {}

/** The connection options are not usable (URL without scheme, ...), or a value cannot be sent to Odoo. */
export class OdooConfigError extends OdooError {}

/** One message of Odoo's `load()` answer. */
export interface OdooLoadMessage {
  type: string;
  message: string;
  /** The row (0-based) the message is about, when it is about one. */
  record?: number;
  field?: string;
}

/**
 * A selection option Odoo does not know (`stetpay install` fixes it for every
 * row at once), or a right the user lacks (Odoo's AccessError on each row's
 * write): about the whole call, not the row it names. (A field Odoo does not
 * know at all is no message: `load` faults, see OdooFieldsMissingError.)
 */
const SCHEMA_PROBLEM = /invalid field|unknown field|not found in selection field|not allowed to (?:modify|create|access)/i;

/**
 * The rows Odoo refused for what they are (a bill deleted: "Unknown database
 * identifier"; a value of theirs), as opposed to refusals of the whole call,
 * each with Odoo's first message about it. Writing such a row again can never
 * succeed.
 */
export function refusedRows(messages: readonly OdooLoadMessage[]): { row: number; message: string }[] {
  const byRow = new Map<number, string>();
  for (const m of messages) {
    if (m.type !== 'error' || typeof m.record !== 'number' || SCHEMA_PROBLEM.test(m.message)) continue;
    if (!byRow.has(m.record)) byRow.set(m.record, m.message);
  }
  return [...byRow].sort(([a], [b]) => a - b).map(([row, message]) => ({ row, message }));
}

/** A bill whose result Odoo refused for good, and why (Odoo's words). */
export interface OdooRefusedBill {
  billId: number;
  message: string;
}

/** `load()` refused a batch: nothing of that batch was written (earlier batches were). */
export class OdooLoadError extends OdooError {
  constructor(
    message: string,
    readonly messages: OdooLoadMessage[],
    /** Every bill of the refused batch. */
    readonly billIds: number[],
    /** The bills Odoo refused for good (see {@link refusedRows}); [] when the refusal is about the whole batch. */
    readonly refused: OdooRefusedBill[] = [],
  ) {
    super(message, { call: 'account.move.load' });
  }

  get refusedBillIds(): number[] {
    return this.refused.map((r) => r.billId);
  }
}

/** The last non-empty line of a traceback: `ValueError: Invalid field ...`. */
export function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? text;
}

/** Odoo's XML-RPC fault -> typed error, by fault code (odoo/addons/base/controllers/rpc.py). */
export function classifyOdooFault(call: string, faultCode: number, faultString: string): OdooError {
  const o = { call, faultCode, faultString };
  switch (faultCode) {
    case 3:
      return new OdooAccessDeniedError(`Odoo refused the credentials on ${call} (Access Denied): the password or API key was changed or revoked`, o);
    case 4:
      return new OdooAccessError(faultString, o);
    case 2:
      return /does not exist or has been deleted/i.test(faultString) ? new OdooMissingError(faultString, o) : new OdooUserError(faultString, o);
    default: {
      const field = missingStetField(lastLine(faultString));
      return field ? new OdooFieldsMissingError(field, o) : new OdooServerError(lastLine(faultString), o);
    }
  }
}
