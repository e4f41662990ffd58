import { expect } from 'chai';
import { OdooConnectionError } from '../../connector/odoo/index.js';
import { BankTransientError } from '../../connector/stet/index.js';
import { CommandFailure, printError, UsageError } from '../../plugin/errors.js';
import { ConfigError } from '../../plugin/config/index.js';

function printed(err: unknown): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = printError('report', err, (l) => lines.push(l));
  return { code, lines };
}

describe('commands: error printing (plugin/errors)', () => {
  it('ARGS-02 printError: usage -> 2 in one line; config, handled, bank and Odoo failures -> 1, one clear message and no stack', () => {
    expect(printed(new UsageError('stetpay report: bad'))).to.deep.equal({ code: 2, lines: ['stetpay report: bad'] });
    expect(printed(new ConfigError(['config: odoo.url is required', 'config: odoo.database is required']))).to.deep.equal({ code: 1, lines: ['config: odoo.url is required\nconfig: odoo.database is required'] });
    expect(printed(new CommandFailure('nothing to cancel'))).to.deep.equal({ code: 1, lines: ['stetpay report: nothing to cancel'] });
    expect(printed(new BankTransientError('timed out after 30000 ms', { requestId: 'req-1' }))).to.deep.equal({
      code: 1,
      lines: ["stetpay report: bank: timed out after 30000 ms (request id req-1: quote it to the bank's support)"],
    });
    const odoo = printed(new OdooConnectionError('Cannot reach Odoo at http://x (ECONNREFUSED)'));
    expect(odoo).to.deep.equal({ code: 1, lines: ['stetpay report: Cannot reach Odoo at http://x (ECONNREFUSED)'] });
    expect(printed(new Error('stetpay: Redis did not answer within 10000 ms'))).to.deep.equal({ code: 1, lines: ['stetpay report: Redis did not answer within 10000 ms'] });
  });
});
