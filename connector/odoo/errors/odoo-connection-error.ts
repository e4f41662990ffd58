import { OdooError } from './odoo-error.js';
/** Odoo could not be reached or did not answer in time (or the URL is not an Odoo XML-RPC endpoint). */
export class OdooConnectionError extends OdooError {
  /** True when the request may have reached Odoo (time-out, reset after sending): a write may have happened. */
  maybeDone = false;
}
