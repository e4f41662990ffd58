import { expect } from 'chai';
import { OdooConnectionError } from '../../connector/odoo/index.js';
import { BankTransientError } from '../../connector/stet/index.js';
import { CommandFailure, oneOf, parseCommandArgs, printError, UsageError } from '../../plugin/cli-args.js';
import { ConfigError } from '../../plugin/config/index.js';

function printed(err: unknown): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = printError('report', err, (l) => lines.push(l));
  return { code, lines };
}

describe('commands: shared flag parsing and error printing (plugin/cli-args)', () => {
  it('ARGS-01 strict flags: known ones parsed with --config added; unknown flag, missing value, extra argument are usage errors', () => {
    const opts = { format: { type: 'string', default: 'csv' }, wait: { type: 'boolean' } } as const;
    const { values } = parseCommandArgs('report', ['--format', 'json', '--config', 'x.json', '--wait'], opts);
    expect(values).to.deep.equal({ format: 'json', config: 'x.json', wait: true });
    const usage = (args: string[], o = {}) => {
      try {
        parseCommandArgs('report', args, opts, o);
      } catch (e) {
        expect(e).to.be.instanceOf(UsageError);
        return (e as Error).message;
      }
      throw new Error('no usage error');
    };
    expect(usage(['--fromat', 'csv'])).to.equal("stetpay report: Unknown option '--fromat'");
    expect(usage(['--format'])).to.match(/^stetpay report: Option '--format <value>' argument missing/);
    expect(usage(['extra'])).to.match(/^stetpay report: Unexpected argument 'extra'/);
    expect(usage([], { minPositionals: 1, maxPositionals: 1, positionalsUsage: 'BILL' })).to.equal('stetpay report: missing BILL');
    expect(usage(['a', 'b'], { minPositionals: 1, maxPositionals: 1 })).to.equal("stetpay report: unexpected argument 'b'");
    expect(() => oneOf('report', 'format', 'xml', ['csv', 'json'])).to.throw(UsageError, "--format 'xml' is not one of csv, json");
  });

  it('ARGS-02 printError: usage -> 2; config, handled, bank and Odoo failures -> 1, one clear message and no stack', () => {
    expect(printed(new UsageError('stetpay report: bad'))).to.deep.equal({ code: 2, lines: ['stetpay report: bad', "Run 'stetpay --help' for the usage."] });
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
