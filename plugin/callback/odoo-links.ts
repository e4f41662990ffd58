/**
 * Where the callback pages send the signatory back to: the bill in Odoo's web
 * client, or Odoo itself when no bill is known. The forms are Odoo's own (see
 * docs/odoo.md): Odoo 18 routes `/odoo/action-<xml id>/<record id>` (and still
 * reads the old hash form, rewriting it); 16 and 17 only `/web#id=..&model=..` (the dialect's `webUrls`).
 */
import { odooDialect, type OdooMajorVersion } from '../../connector/odoo/index.js';

/** The links of one Odoo (its configured URL, the one the signatory's browser reaches). */
export interface OdooLinks {
  /** The vendor bill's form. */
  bill(billId: number): string;
  /** Odoo's home page (for a page that knows no bill). */
  home: string;
}

export function odooLinks(odooUrl: string, version: OdooMajorVersion): OdooLinks {
  const base = odooUrl.replace(/\/+$/, '');
  if (odooDialect(version).webUrls === 'odoo-paths') {
    return { bill: (id) => `${base}/odoo/action-account.action_move_in_invoice_type/${id}`, home: `${base}/odoo` };
  }
  return { bill: (id) => `${base}/web#id=${id}&model=account.move&view_type=form`, home: `${base}/web` };
}
