import { expect } from 'chai';
import { andDomains, normalizeDomain } from '../../connector/odoo/combine-domains.js';
import { OdooConfigError } from '../../connector/odoo/errors.js';

describe('Odoo domains joined with AND (as expression.AND)', () => {
  const A = ['a', '=', 1];
  const B = ['b', '=', 2];
  const C = ['c', '=', 3];

  it('normalize makes the implicit & explicit, leaves prefix operators in place', () => {
    expect(normalizeDomain([A, B, C])).to.deep.equal(['&', '&', A, B, C]);
    expect(normalizeDomain(['|', A, B, C])).to.deep.equal(['&', '|', A, B, C]);
    expect(normalizeDomain(['!', A])).to.deep.equal(['!', A]);
    expect(normalizeDomain([])).to.deep.equal([]);
  });

  it('a malformed domain is an OdooConfigError, not a silently different search', () => {
    expect(() => normalizeDomain(['|', A])).to.throw(OdooConfigError, /not well formed/);
    expect(() => andDomains(['&', A], [B])).to.throw(OdooConfigError);
  });

  it('AND keeps each domain whole: a leading | stays inside its own domain', () => {
    expect(andDomains(['|', A, B], ['|', C, A])).to.deep.equal(['&', '|', A, B, '|', C, A]);
    expect(andDomains([A, B], [C])).to.deep.equal(['&', '&', A, B, C]);
    expect(andDomains([], [C])).to.deep.equal([C]);
    expect(andDomains([A], [])).to.deep.equal([A]);
  });
});
