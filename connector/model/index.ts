export * from './bill-status.js';
export type * from './bill-snapshot.js';
export type * from './stet-payment-request.js';
export type * from './stet-fields.js';
export type * from './tracked-bill.js';
export { odooNow } from './stet-fields.js';
export type * from './reserved-bill.js';
export * from './payee-check.js';
export type * from './approval.js';
// Owned by the rules that make them; listed here with the shapes every layer uses.
export type { PaymentIds } from '../rules/payment-ids.js';
export type { Reason } from '../rules/reasons.js';
