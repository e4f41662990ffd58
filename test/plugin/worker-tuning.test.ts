import { expect } from 'chai';
import { getBankProfile } from '../../connector/profiles/index.js';
import { CONSENT_CHECK_RETRY } from '../../plugin/callback/index.js';
import { bankRate, submitLock, syncRate } from '../../plugin/connect/open-bank.js';

describe("the worker's tuning, derived from the bank settings (plugin/connect/open-bank)", () => {
  const nwm = getBankProfile('nwm-18919');

  it('TUNE-01 the submit lock is 4x the response time-out (a token fetch plus the POST), stalled checks at a quarter, at most 30 s', () => {
    expect(submitLock({ responseTimeoutMs: 30_000 })).to.deep.equal({ lockDurationMs: 120_000, stalledIntervalMs: 30_000 });
    expect(submitLock({ responseTimeoutMs: 60_000 })).to.deep.equal({ lockDurationMs: 240_000, stalledIntervalMs: 30_000 });
    expect(submitLock({ responseTimeoutMs: 5_001 })).to.deep.equal({ lockDurationMs: 20_004, stalledIntervalMs: 5_001 });
  });

  it("TUNE-02 the bank's rate is the configured one, else the profile's (the shared BANK-RATE budget of every process)", () => {
    expect(bankRate({}, nwm)).to.equal(50);
    expect(bankRate({ requestsPerSecond: 5 }, nwm)).to.equal(5);
  });

  it("TUNE-03 a full sync takes at most a quarter of the bank's rate per process, never below 1", () => {
    expect(syncRate({}, nwm)).to.equal(12.5);
    expect(syncRate({ requestsPerSecond: 2 }, nwm)).to.equal(1);
  });

  it("TUNE-04 the consent check retries for about 5 s, within the page's 10 s wait", () => {
    expect(CONSENT_CHECK_RETRY).to.deep.equal({ attempts: 20, intervalMs: 250 });
    expect(CONSENT_CHECK_RETRY.attempts * CONSENT_CHECK_RETRY.intervalMs).to.be.below(10_000);
  });
});
