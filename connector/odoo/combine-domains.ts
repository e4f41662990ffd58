/**
 * Odoo domains joined with AND the way Odoo's `expression.AND` does: each one
 * normalised first (implicit `&` made explicit), so a domain written with
 * leading `|` or `!` keeps its meaning next to another one.
 */
import { OdooConfigError } from './errors.js';

const ARITY = new Map<unknown, number>([['!', 1], ['&', 2], ['|', 2]]);

/**
 * `odoo/osv/expression.py` `normalize_domain`: the implicit `&` between
 * top-level terms made explicit. [] stays [] (every record).
 * @throws OdooConfigError when the domain is not well formed (an operator without its terms).
 */
export function normalizeDomain(domain: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  let expected = 1;
  for (const token of domain) {
    if (expected === 0) {
      // one complete term already and more follow: an implicit '&' in front
      out.unshift('&');
      expected = 1;
    }
    expected += (ARITY.get(token) ?? 0) - 1; // a term takes one slot, an operator opens arity - 1 more
    out.push(token);
  }
  if (domain.length > 0 && expected !== 0) {
    throw new OdooConfigError(`The Odoo domain ${JSON.stringify(domain)} is not well formed (an '&', '|' or '!' lacks its terms): fix odoo.approvedDomain in the config`);
  }
  return out;
}

/** Records matching every domain; empty domains are left out. */
export function andDomains(...domains: readonly (readonly unknown[])[]): unknown[] {
  const parts = domains.filter((d) => d.length > 0).map(normalizeDomain);
  if (parts.length <= 1) return parts[0] ?? [];
  return [...Array<string>(parts.length - 1).fill('&'), ...parts.flat(1)];
}
