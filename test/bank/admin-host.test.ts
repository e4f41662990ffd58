import { expect } from 'chai';
import { connect } from 'node:net';
import { parseBankArgs } from '../../sandbox/bank/cli-args.js';
import type { RunningBankSandbox } from '../../sandbox/bank/index.js';
import { startSandbox } from './harness.js';

/** 'open' when a TCP connection to host:port is accepted, else the error code (ECONNREFUSED). */
function tcp(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => { s.destroy(); resolve('open'); });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

const portOf = (url: string) => Number(new URL(url).port);

// 127.0.0.2 is loopback too on Linux, but only a server bound to every interface (or to it) answers there.
describe('bank sandbox: the admin API (no authentication) listens on loopback whatever --host is', () => {
  let sb: RunningBankSandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  it('with host 0.0.0.0 the HTTPS side answers on every interface, the admin API on 127.0.0.1 only', async () => {
    sb = await startSandbox({ host: '0.0.0.0' });
    expect(sb.adminUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await tcp('127.0.0.2', portOf(sb.apiBaseUrl))).to.equal('open');
    expect(await tcp('127.0.0.2', portOf(sb.adminUrl))).to.equal('ECONNREFUSED');
    expect((await fetch(`${sb.adminUrl}/admin/clock`)).status).to.equal(200);
  });

  it('an explicit adminHost (--admin-host) moves it', async () => {
    expect(parseBankArgs(['--host', '0.0.0.0', '--admin-host', '0.0.0.0'])).to.deep.equal({ host: '0.0.0.0', adminHost: '0.0.0.0', profile: 'nwm-18919', autoConsent: 'off' });
    sb = await startSandbox({ adminHost: '127.0.0.2' }); // not every interface: the test would open it to the network
    expect(sb.adminUrl).to.match(/^http:\/\/127\.0\.0\.2:\d+$/);
    expect(await tcp('127.0.0.2', portOf(sb.adminUrl))).to.equal('open');
    expect(await tcp('127.0.0.1', portOf(sb.adminUrl))).to.equal('ECONNREFUSED');
    expect(await tcp('127.0.0.2', portOf(sb.apiBaseUrl))).to.equal('ECONNREFUSED'); // host stays 127.0.0.1
  });
});
