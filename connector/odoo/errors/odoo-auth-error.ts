import { OdooError } from './odoo-error.js';
/** The login failed (`authenticate` returned False): wrong user, password/API key or database. */
export class OdooAuthError extends OdooError {}
