import { expect } from 'chai';
import { main } from '../../plugin/cli.js';

describe('stetpay command line', () => {
  it('rejects an unknown command with exit code 2', async () => {
    const errors: string[] = [];
    const orig = console.error;
    console.error = (m: string) => errors.push(m);
    try {
      expect(await main(['frobnicate'])).to.equal(2);
    } finally {
      console.error = orig;
    }
    expect(errors.join('\n')).to.contain("unknown command 'frobnicate'");
  });
});
