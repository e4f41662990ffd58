import { expect } from 'chai';
import { MAX_CENTS, centsToStetAmount, checkAmountCents, formatCents, toCents } from '../../connector/rules/money.js';

describe('money in integer cents', () => {
  it('SEPA-AMOUNT reads 0.1 + 0.2 as 30 cents', () => {
    expect(toCents(0.1 + 0.2)).to.equal(30);
  });

  it('SEPA-AMOUNT rounds the decimal Odoo shows, half away from zero: 1234.565 -> 123457', () => {
    expect(toCents(1234.565)).to.equal(123457);
    expect(toCents(1.005)).to.equal(101);
    expect(toCents(2.675)).to.equal(268);
    expect(toCents(-1234.565)).to.equal(-123457);
    expect(toCents(0.004)).to.equal(0);
    expect(toCents(-0.004)).to.equal(0);
    expect(toCents(19.99)).to.equal(1999);
    expect(toCents(100)).to.equal(10000);
    expect(toCents(1e-7)).to.equal(0);
  });

  it('SEPA-AMOUNT accepts 0.01 up to 999999999.99 and refuses 1e9', () => {
    expect(toCents(999999999.99)).to.equal(MAX_CENTS);
    expect(checkAmountCents(MAX_CENTS)).to.equal(null);
    expect(checkAmountCents(toCents(0.01))).to.equal(null);
    expect(checkAmountCents(toCents(1e9))).to.equal('AMOUNT_TOO_LARGE');
    expect(checkAmountCents(0)).to.equal('AMOUNT_ZERO');
    expect(checkAmountCents(-1)).to.equal('AMOUNT_NEGATIVE');
    expect(toCents(1e21)).to.equal(1e23);
  });

  it('refuses what is not a finite number', () => {
    expect(() => toCents(Number.NaN)).to.throw(RangeError);
    expect(() => toCents(Number.POSITIVE_INFINITY)).to.throw(RangeError);
  });

  it('sends the STET amount as a number with at most 2 decimals', () => {
    expect(centsToStetAmount(12345)).to.equal(123.45);
    expect(JSON.stringify({ amount: centsToStetAmount(12345) })).to.equal('{"amount":123.45}');
    expect(JSON.stringify(centsToStetAmount(30))).to.equal('0.3');
    expect(JSON.stringify(centsToStetAmount(MAX_CENTS))).to.equal('999999999.99');
    expect(centsToStetAmount(100)).to.equal(1);
    expect(formatCents(5)).to.equal('0.05');
    expect(formatCents(-123457)).to.equal('-1234.57');
  });
});
