import type { OdooMajorVersion } from './odoo-client.js';
import { odooDialect, reviewedTerm } from './odoo-dialect.js';

/**
 * The "approved" domain (docs/odoo.md): posted vendor bills, not (fully) paid, ticked by
 * the clerk, not yet taken by stetpay, or `held` (a hold reserves nothing: each
 * run looks at a held bill again, and pays it once the hold is resolved). `payment_state in (not_paid, partial)` also
 * leaves out 18's `blocked`; bills flagged "to check" (16/17 `to_check`, 18
 * `checked` = False) wait until someone reviews them.
 */
export function approvedDomain(version: OdooMajorVersion, horizon?: string): unknown[] {
  const domain: unknown[] = [
    ['move_type', '=', 'in_invoice'],
    ['state', '=', 'posted'],
    ['payment_state', 'in', ['not_paid', 'partial']],
    ['x_stet_approved', '=', true],
    ['x_stet_status', 'in', [false, 'held']],
    reviewedTerm(odooDialect(version)),
  ];
  if (horizon) domain.push(...dueBy(horizon));
  return domain;
}

/**
 * Bills due on or before `horizon` (YYYY-MM-DD, the bank's window). Bills
 * without a due date are still read, so the rules can say why they wait.
 */
export function dueBy(horizon: string): unknown[] {
  return ['|', ['invoice_date_due', '=', false], ['invoice_date_due', '<=', horizon]];
}
