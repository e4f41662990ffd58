import { expect } from 'chai';
import { databaseHash, parsePaymentId, paymentIds } from '../../connector/rules/payment-ids.js';
import { isSepaId } from '../../connector/rules/sepa-text.js';

describe('payment ids', () => {
  it('SEPA-ID: the same bill and attempt always give the same ids', () => {
    expect(paymentIds('acme-prod', 42, 0)).to.deep.equal(paymentIds('acme-prod', 42, 0));
    const ids = paymentIds('acme-prod', 42, 0);
    expect(ids.endToEndId).to.equal(`SPE-${databaseHash('acme-prod')}-42-0`);
    expect(ids.paymentInformationId).to.equal(`SPP-${databaseHash('acme-prod')}-42-0`);
    expect(ids.instructionId).to.equal(`SPI-${databaseHash('acme-prod')}-42-0`);
  });

  it('SEPA-ID: ids differ per database, bill and attempt, and between the three kinds', () => {
    const all = new Set<string>();
    let count = 0;
    for (const db of ['acme-prod', 'acme-test', 'other']) {
      for (const bill of [1, 2, 12, 42, 421]) {
        for (const attempt of [0, 1, 2, 21]) {
          const ids = paymentIds(db, bill, attempt);
          for (const id of [ids.paymentInformationId, ids.instructionId, ids.endToEndId]) {
            all.add(id);
            count++;
          }
        }
      }
    }
    expect(all.size).to.equal(count);
  });

  it('SEPA-ID: at most 35 SEPA characters, no colon, never all digits, even at the extremes', () => {
    for (const ids of [paymentIds('d', 1, 0), paymentIds('a very long database name '.repeat(10), Number.MAX_SAFE_INTEGER, 9_999_999)]) {
      for (const id of Object.values(ids)) {
        expect(isSepaId(id), id).to.equal(true);
        expect(id.length).to.be.at.most(35);
        expect(id).not.to.include(':');
        expect(id).not.to.match(/^\d+$/);
      }
    }
  });

  it('refuses a bad bill id or attempt', () => {
    expect(() => paymentIds('db', 0, 0)).to.throw(RangeError);
    expect(() => paymentIds('db', 1.5, 0)).to.throw(RangeError);
    expect(() => paymentIds('db', 1, -1)).to.throw(RangeError);
    expect(() => paymentIds('', 1, 0)).to.throw(RangeError);
  });

  it('parses an id back', () => {
    const ids = paymentIds('acme-prod', 42, 3);
    expect(parsePaymentId(ids.endToEndId)).to.deep.equal({ kind: 'E', databaseHash: databaseHash('acme-prod'), billId: 42, attempt: 3 });
    expect(parsePaymentId('NOTPROVIDED')).to.equal(null);
  });
});
