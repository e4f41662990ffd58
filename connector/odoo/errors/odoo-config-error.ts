import { OdooError } from './odoo-error.js';
/** The connection options are not usable (URL without scheme, ...), or a value cannot be sent to Odoo. */
export class OdooConfigError extends OdooError {}
