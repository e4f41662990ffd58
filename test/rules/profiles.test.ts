import { expect } from 'chai';
import { NWM_18919, STET_1_6, UnknownBankProfileError, bankProfileIds, getBankProfile } from '../../connector/profiles/index.js';

describe('bank profiles', () => {
  it('finds the shipped profiles by id', () => {
    expect(getBankProfile('nwm-18919')).to.equal(NWM_18919);
    expect(getBankProfile('stet-1.6')).to.equal(STET_1_6);
    expect(bankProfileIds()).to.deep.equal(['nwm-18919', 'stet-1.6']);
  });

  it('an unknown id throws an error listing the known ones', () => {
    expect(() => getBankProfile('bnp')).to.throw(UnknownBankProfileError, "unknown bank profile 'bnp': use one of nwm-18919, stet-1.6");
    expect(() => getBankProfile('toString')).to.throw(UnknownBankProfileError);
  });

  it('nwm-18919 holds the NWM rules as data', () => {
    expect(NWM_18919).to.include({
      establishmentCode: '18919', serviceLevel: 'SEPA', maxDaysAhead: 30, maxTransactionsPerRequest: 1,
      instantAllowed: false, frequencyAllowed: false, requiresConfirmation: false, cancellation: 'none',
      chargeBearer: 'SLEV', defaultCategoryPurpose: 'CASH', retentionDays: 35, executionRule: 'FWNG',
    });
    expect(NWM_18919.currencies).to.deep.equal(['EUR']);
    expect(NWM_18919.categoryPurposes).to.deep.equal(['CASH', 'DVPM', 'SALA']);
    expect(NWM_18919.purposes).to.deep.equal(['TRPT', 'CASH', 'CPKC', 'ACCT', 'COMC']);
    expect(NWM_18919.privateIdSchemeNames).to.deep.equal(['BANK', 'COID', 'SREN', 'DSRET', 'NIDN', 'OAUT', 'CPAN']);
    expect(NWM_18919.authenticationApproaches).to.deep.equal(['REDIRECT']);
  });

  it('stet-1.6 is the generic 1.6.2 bank: confirmation, instant, several transactions, PUT CANC', () => {
    expect(STET_1_6).to.include({ requiresConfirmation: true, instantAllowed: true, cancellation: 'put', cancellationStatus: 'CANC' });
    expect(STET_1_6.maxTransactionsPerRequest).to.be.greaterThan(1);
  });

  it('profiles are frozen data', () => {
    expect(Object.isFrozen(NWM_18919)).to.equal(true);
    expect(Object.isFrozen(NWM_18919.currencies)).to.equal(true);
  });
});
