import { OdooServerError } from './odoo-server-error.js';

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
