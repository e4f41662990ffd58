/**
 * `stetpay sandbox bank ...` and `stetpay sandbox certs --out DIR`.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeTestCertificates } from './certs.js';
import { startBankSandbox } from './index.js';
import type { SandboxProfile } from './types.js';

const BANK_USAGE = 'Usage: stetpay sandbox bank [--port P] [--admin-port A] [--host H] [--profile nwm-18919|stet-1.6] [--auto-consent] [--certs DIR] [--rate R]';

export async function runBankCli(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' }, 'admin-port': { type: 'string' }, host: { type: 'string' }, profile: { type: 'string' },
        'auto-consent': { type: 'boolean' }, certs: { type: 'string' }, rate: { type: 'string' }, help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${BANK_USAGE}`);
    return 2;
  }
  if (values.help) { console.log(BANK_USAGE); return 0; }
  const num = (v: string | undefined, name: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${v}"`);
    return n;
  };
  let sandbox;
  try {
    const profile = (values.profile ?? 'nwm-18919') as SandboxProfile;
    if (profile !== 'nwm-18919' && profile !== 'stet-1.6') throw new Error(`--profile must be nwm-18919 or stet-1.6, got "${profile}"`);
    sandbox = await startBankSandbox({
      host: values.host, port: num(values.port, 'port'), adminPort: num(values['admin-port'], 'admin-port'), profile,
      autoConsent: values['auto-consent'] ? 'approve' : 'off', certsDir: values.certs ? resolve(values.certs) : undefined,
      requestsPerSecond: num(values.rate, 'rate'),
    });
  } catch (err) {
    console.error(`stetpay sandbox bank: ${(err as Error).message}\n${BANK_USAGE}`);
    return 2;
  }
  const c = sandbox.certs;
  console.log(`stetpay bank sandbox (profile ${sandbox.profile}, bodies checked against the ${sandbox.schemaSource === 'official' ? 'official STET file' : 'committed STET extract'})
  API base   ${sandbox.apiBaseUrl}
  token URL  ${sandbox.tokenUrl}
  admin API  ${sandbox.adminUrl}  (plain HTTP: /admin/requests, /admin/payments, /admin/faults, /admin/clock, /admin/reset)
  test certificates in ${c.dir}
    CA (trust it)      ${c.caCertPath}
    QWAC cert / key    ${c.qwacCertPath} / ${c.qwacKeyPath}
    QSealC cert / key  ${c.qsealCertPath} / ${c.qsealKeyPath}
    QSealC keyId       ${c.qsealKeyId}
    client_id          ${c.organisationId}
Press Ctrl+C to stop.`);
  await new Promise<void>((done) => {
    const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); done(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sandbox.close();
  console.log('stetpay bank sandbox stopped.');
  return 0;
}

export async function runCertsCli(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { out: { type: 'string' }, 'organisation-id': { type: 'string' } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\nUsage: stetpay sandbox certs --out DIR [--organisation-id PSDFR-ACPR-12345]`);
    return 2;
  }
  if (!values.out) { console.error('Usage: stetpay sandbox certs --out DIR [--organisation-id PSDFR-ACPR-12345]'); return 2; }
  try {
    const c = await makeTestCertificates(resolve(values.out), { organisationId: values['organisation-id'] });
    console.log(`test certificates (not for production) in ${c.dir}
  CA                 ${c.caCertPath}
  server cert / key  ${c.serverCertPath} / ${c.serverKeyPath}
  QWAC cert / key    ${c.qwacCertPath} / ${c.qwacKeyPath}
  QSealC cert / key  ${c.qsealCertPath} / ${c.qsealKeyPath}
  QSealC keyId       ${c.qsealKeyId}
  organisation id    ${c.organisationId}`);
    return 0;
  } catch (err) {
    console.error(`stetpay sandbox certs: ${(err as Error).message}`);
    return 1;
  }
}
