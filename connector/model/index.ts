export * from './bill-status.js';
export type * from './bill-snapshot.js';
export type * from './stet-payment-request.js';
export type * from './payment-ids.js';
export type * from './reason.js';
export type * from './stet-fields.js';
export type * from './tracked-bill.js';
export * from './odoo-datetime.js';
export * from './payee-check.js';
