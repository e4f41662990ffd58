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
