import { OdooError } from './odoo-error.js';
/** Fault 2: Odoo refused the operation with a message for a person (UserError, ValidationError, unknown model). */
export class OdooUserError extends OdooError {}
/** Fault 2, MissingError: a record does not exist or has been deleted. */
export class OdooMissingError extends OdooUserError {}
