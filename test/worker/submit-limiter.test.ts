import { expect } from 'chai';
import { submitLimiter } from '../../worker/submit-limiter.js';

/** Most starts any half-open second can see: windows back to back, each with `max` starts placed worst. */
const worstSecond = (l: { max: number; duration: number }) => l.max * (Math.ceil(1000 / l.duration) + 1);

describe('submit limiter (worker/submit-limiter)', () => {
  it('LIMIT-01 no second ever holds more starts than the bank allows, for every rate from 2 to 1,000 per second', () => {
    for (let r = 2; r <= 1000; r++) expect(worstSecond(submitLimiter(r)), `R = ${r}`).to.be.at.most(r);
  });

  it('LIMIT-02 keeps at least 92% of the bank rate from 20 per second up (NWM 50/s: 47.6/s, 200/s: 192.3/s)', () => {
    for (let r = 20; r <= 1000; r++) {
      const l = submitLimiter(r);
      expect((1000 * l.max) / l.duration / r, `R = ${r}`).to.be.at.least(0.92);
    }
    expect(submitLimiter(50)).to.deep.equal({ max: 2, duration: 42 });
    expect(submitLimiter(200)).to.deep.equal({ max: 5, duration: 26 });
  });
});
