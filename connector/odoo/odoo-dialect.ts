/**
 * What differs between the Odoo versions stetpay supports, one record per
 * version: adding Odoo 19 is one record here (and the dev server's). Each field
 * names the Odoo behaviour it follows; docs/odoo.md lists them by version.
 */

/** The Odoo major versions stetpay supports: the keys of {@link ODOO_DIALECTS}. */
export type OdooMajorVersion = 16 | 17 | 18;

export interface OdooDialect {
  readonly version: OdooMajorVersion;
  /** A bill's review flag: `to_check` (true: still to check) until 17; `checked` (true: reviewed) from 18. */
  readonly reviewedField: 'to_check' | 'checked';
  /** The list view's root tag: `tree` until 17, `list` from 18. */
  readonly listTag: 'tree' | 'list';
  /** How a view hides an element: 16 `attrs` domains; 17 and later Python expressions in `invisible`. */
  readonly modifiers: 'attrs' | 'expressions';
  /** The payment's memo: `ref` until 17 (account.payment inherits account.move), `memo` from 18. */
  readonly paymentMemoField: 'ref' | 'memo';
  /** A cancelled payment's state: `cancel` until 17, `canceled` from 18. */
  readonly paymentCancelledState: 'cancel' | 'canceled';
  /**
   * Whether an invoicing user can read who changed a tracked field: 17 gives the chatter's tracking values
   * through `mail.message.message_format` (mail.tracking.value itself is refused); 16 names no field there
   * and 18 has no message_format.
   */
  readonly trackingReadableByInvoicingUser: boolean;
  /** The web client's URLs: `/web#id=…&model=…` until 17, `/odoo/…` from 18. */
  readonly webUrls: 'web-hash' | 'odoo-paths';
}

export const ODOO_DIALECTS: Readonly<Record<OdooMajorVersion, OdooDialect>> = Object.freeze({
  16: Object.freeze({ version: 16, reviewedField: 'to_check', listTag: 'tree', modifiers: 'attrs', paymentMemoField: 'ref', paymentCancelledState: 'cancel', trackingReadableByInvoicingUser: false, webUrls: 'web-hash' }),
  17: Object.freeze({ version: 17, reviewedField: 'to_check', listTag: 'tree', modifiers: 'expressions', paymentMemoField: 'ref', paymentCancelledState: 'cancel', trackingReadableByInvoicingUser: true, webUrls: 'web-hash' }),
  18: Object.freeze({ version: 18, reviewedField: 'checked', listTag: 'list', modifiers: 'expressions', paymentMemoField: 'memo', paymentCancelledState: 'canceled', trackingReadableByInvoicingUser: false, webUrls: 'odoo-paths' }),
} satisfies Record<OdooMajorVersion, OdooDialect>);

/** The supported versions, in order (what a set-up error lists). */
export const SUPPORTED_ODOO_VERSIONS: readonly OdooMajorVersion[] = Object.freeze(Object.values(ODOO_DIALECTS).map((d) => d.version));

export function isSupportedOdooVersion(v: number): v is OdooMajorVersion {
  return (SUPPORTED_ODOO_VERSIONS as readonly number[]).includes(v);
}

export function odooDialect(version: OdooMajorVersion): OdooDialect {
  return ODOO_DIALECTS[version];
}

/** The domain term that keeps reviewed bills only. */
export function reviewedTerm(d: OdooDialect): unknown[] {
  return d.reviewedField === 'checked' ? ['checked', '=', true] : ['to_check', '=', false];
}

/** Whether a bill row read with {@link OdooDialect.reviewedField} is reviewed. */
export function isReviewed(d: OdooDialect, row: Record<string, unknown>): boolean {
  return d.reviewedField === 'checked' ? row.checked === true : row.to_check !== true;
}
