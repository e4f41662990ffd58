import { expect } from 'chai';
import { main } from '../../plugin/cli.js';

describe('stetpay command line', () => {
  it('rejects an unknown command with exit code 2 and suggests the closest one', async () => {
    const errors: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => (errors.push(s), true)) as typeof process.stderr.write;
    try {
      expect(await main(['frobnicate'])).to.equal(2);
      expect(await main(['reprot'])).to.equal(2);
    } finally {
      process.stderr.write = write;
    }
    expect(errors).to.deep.equal(["stetpay: unknown command 'frobnicate' (see 'stetpay --help')\n", "stetpay: unknown command 'reprot' (did you mean report?)\n"]);
  });
});
