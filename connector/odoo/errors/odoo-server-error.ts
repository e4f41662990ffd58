import { OdooError } from './odoo-error.js';
/** Fault 1: any other server error; the message is the traceback's last line, `faultString` the whole traceback. */
export class OdooServerError extends OdooError {
  /** True when Odoo could not marshal a None result: the method ran and committed, re-read to know. */
  get returnedNone(): boolean {
    return /cannot marshal None/.test(this.message);
  }
}
