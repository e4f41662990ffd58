import { expect } from 'chai';
import { bankStatusCode, billStatusFromStet, isKnownStetStatus } from '../../connector/mapping/stet-status.js';

describe('STET status mapping (connector/mapping/stet-status)', () => {
  it('STATUS-01 RCVD, PDNG and ACTC before consent mean submitted', () => {
    for (const c of ['RCVD', 'PDNG', 'ACTC']) expect(billStatusFromStet(c), c).to.equal('submitted');
  });
  it('STATUS-02 the same codes after consent mean accepted', () => {
    for (const c of ['RCVD', 'PDNG', 'ACTC']) expect(billStatusFromStet(c, undefined, { consentGiven: true }), c).to.equal('accepted');
  });
  it('STATUS-03 ACCP, ACCO, ACSP, ACWC, ACWP, PART mean accepted', () => {
    for (const c of ['ACCP', 'ACCO', 'ACSP', 'ACWC', 'ACWP', 'PART']) expect(billStatusFromStet(c), c).to.equal('accepted');
  });
  it('STATUS-04 ACSC executed, RJCT rejected, CANC cancelled, at either level', () => {
    expect(billStatusFromStet('ACSC')).to.equal('executed');
    expect(billStatusFromStet('ACSP', 'ACSC')).to.equal('executed');
    expect(billStatusFromStet('RJCT')).to.equal('rejected');
    expect(billStatusFromStet('ACTC', 'RJCT')).to.equal('rejected');
    expect(billStatusFromStet('CANC')).to.equal('cancelled');
    expect(billStatusFromStet('acsc')).to.equal('executed');
  });
  it('STATUS-05 an unknown code maps to null (keep the status, flag it)', () => {
    expect(billStatusFromStet('ZZZZ')).to.equal(null);
    expect(billStatusFromStet(undefined)).to.equal(null);
    expect(isKnownStetStatus('ZZZZ')).to.equal(false);
    expect(isKnownStetStatus('ACSP')).to.equal(true);
  });
  it('STATUS-06 the raw code recorded is the final transaction code, else the payment code', () => {
    expect(bankStatusCode('ACSP', 'ACSC')).to.equal('ACSC');
    expect(bankStatusCode('ACCP', 'PDNG')).to.equal('ACCP');
    expect(bankStatusCode(undefined, 'ACTC')).to.equal('ACTC');
  });
});
