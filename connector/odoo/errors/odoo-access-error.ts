import { OdooError } from './odoo-error.js';
/** Fault 4: the user lacks a right (access rule, record rule, private method). */
export class OdooAccessError extends OdooError {}
