/**
 * `stetpay sandbox bank ...` and `stetpay sandbox certs --out DIR`: their flags
 * are parsed by the stetpay command line (./cli-args.ts); these run them.
 */
import { resolve } from 'node:path';
import { makeTestCertificates } from './certs.js';
import { startBankSandbox } from './index.js';
import { untilStopSignal } from '../serve.js';
import { DEFAULT_SANDBOX_PROFILE, sandboxBank } from './bank-rules.js';
import type { BankSandboxOptions } from './types.js';

/** Serves the sandbox until SIGINT/SIGTERM; 1 when it cannot start (port taken...). */
export async function runBankCli(o: BankSandboxOptions): Promise<number> {
  let sandbox;
  try {
    sandbox = await startBankSandbox(o);
  } catch (err) {
    console.error(`stetpay sandbox bank: ${(err as Error).message}`);
    return 1;
  }
  const c = sandbox.certs;
  const list = (v: string[] | 'any' | undefined) => (v === undefined || v === 'any' ? 'any' : v.join(', '));
  const faults = Object.entries(o.faults ?? {}).map(([k, v]) => `${k} ${String(v)}`).join(', ') || 'none';
  console.log(`stetpay bank sandbox (profile ${sandbox.profile}, bodies checked against the ${sandbox.schemaSource === 'official' ? 'official STET file' : 'committed STET extract'})
  NWM-17 beneficiaries  ${list(o.registeredBeneficiaries)}
  NWM-18 cash accounts  ${list(o.cashAccounts)}
  token lifetime ${o.tokenLifetimeSeconds ?? 180 * 24 * 3600} s, consent time-out ${(o.consentTimeoutMs ?? sandboxBank(o.profile ?? DEFAULT_SANDBOX_PROFILE).consentTimeoutMs) / 60_000} min, faults: ${faults}
  API base   ${sandbox.apiBaseUrl}
  token URL  ${sandbox.tokenUrl}
  admin API  ${sandbox.adminUrl}  (plain HTTP, no authentication: /admin/requests, /admin/payments, /admin/faults, /admin/clock, /admin/reset)${isLoopback(o.adminHost) ? '' : `
  WARNING: the admin API listens on ${o.adminHost}: anyone who reaches it can approve consents and move the clock.`}
  test certificates in ${c.dir}${o.certsDir ? '' : ' (a temporary folder, removed when the sandbox stops)'}
    CA (trust it)      ${c.caCertPath}
    QWAC cert / key    ${c.qwacCertPath} / ${c.qwacKeyPath}
    QSealC cert / key  ${c.qsealCertPath} / ${c.qsealKeyPath}
    QSealC keyId       ${c.qsealKeyId}
    client_id          ${c.organisationId}
Press Ctrl+C to stop.`);
  await untilStopSignal();
  await sandbox.close();
  console.log('stetpay bank sandbox stopped.');
  return 0;
}

function isLoopback(host: string | undefined): boolean {
  return host === undefined || host === 'localhost' || host === '::1' || /^127\./.test(host);
}

export async function runCertsCli(o: { out: string; organisationId?: string }): Promise<number> {
  try {
    const c = await makeTestCertificates(resolve(o.out), { organisationId: o.organisationId });
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
