import { OdooError } from './odoo-error.js';
/** Fault 3: Odoo refused the credentials of an `execute_kw` (password or API key revoked or wrong). */
export class OdooAccessDeniedError extends OdooError {}
