/**
 * The doctor's bank checks: the certificates and keys (readable, of the right
 * kind, the QWAC matching its key and naming the configured client_id), the
 * CA (the bank's server certificate verified), an access token over mutual TLS,
 * and one signed call that changes nothing (a GET of a payment that cannot
 * exist, which a bank that accepts the signature answers 404).
 */
import { X509Certificate } from 'node:crypto';
import {
  BankNotFoundError,
  BankSetupError,
  BankSignatureRefusedError,
  BankTransientError,
  BankUnauthorizedError,
  checkCredentials,
  type StetClient,
} from '../../connector/stet/index.js';
import { PROBE_RESOURCE_ID } from '../connect/bank-status.js';
import { BANK_SETTING_KEYS, openBank } from '../connect/open-bank.js';
import type { BankConfig } from '../config/index.js';
import { fail, ok, skip, type DoctorCheck } from './doctor-report.js';

const name = (s: keyof typeof BANK_SETTING_KEYS) => BANK_SETTING_KEYS[s];

/** The organisation identifier (OID 2.5.4.97) in a certificate's subject, if any. */
export function organisationIdOf(cert: X509Certificate): string | undefined {
  return /^organizationIdentifier=(.+)$/m.exec(cert.subject)?.[1] ?? /^2\.5\.4\.97=(.+)$/m.exec(cert.subject)?.[1];
}

function certificatesCheck(bank: Readonly<BankConfig>): DoctorCheck {
  const problems = checkCredentials({ ...bank.pem, qsealKeyId: bank.qsealKeyId }, name).map((p) => p.problem);
  const qwac = problems.length ? undefined : new X509Certificate(bank.pem.qwacCert);
  const org = qwac && organisationIdOf(qwac);
  if (org !== undefined && org !== bank.clientId) problems.push(`${name('clientId')} is ${bank.clientId} but the QWAC in ${name('qwacCert')} names ${org}`);
  if (problems.length) {
    return fail('bank.certificates', `${problems.join('; ')}.`, 'give each setting the file it names; a set-up error is not temporary.');
  }
  const until = new Date(qwac!.validTo).toISOString().slice(0, 10);
  return ok('bank.certificates', `the QWAC (${org ?? 'no organisation identifier'}, valid until ${until}) matches ${name('qwacKey')}; ${name('qsealKey')} and ${name('qsealKeyId')} are usable${bank.pem.ca ? `; ${name('ca')} holds a certificate` : ''}.`);
}

/** The token and the TLS checks that come with it: [bank.ca, bank.token]. */
async function tokenChecks(client: StetClient, bank: Readonly<BankConfig>): Promise<[DoctorCheck, DoctorCheck]> {
  const host = new URL(bank.tokenUrl).host;
  const trusted = ok('bank.ca', `the bank's server certificate at ${host} is trusted (${bank.ca ? name('ca') : "the system's CAs"}).`);
  try {
    await client.authenticate();
    return [trusted, ok('bank.token', `the bank issued an access token to ${bank.clientId} over mutual TLS with the QWAC.`)];
  } catch (err) {
    const m = err instanceof Error ? err.message : String(err);
    if (err instanceof BankSetupError && err.setting === 'ca') return [fail('bank.ca', m, `set ${name('ca')} to the file of the CA that signed the bank's server certificate.`), skip('bank.token', "the bank's server certificate is not trusted.")];
    if (err instanceof BankSetupError) return [skip('bank.ca', 'no TLS connection was made.'), fail('bank.token', m, 'correct the setting it names; a set-up error is not temporary.')];
    if (err instanceof BankUnauthorizedError) {
      return [trusted, fail('bank.token', m, `check that ${name('clientId')} is the QWAC's organisation identifier and that the bank has registered the QWAC.`)];
    }
    if (err instanceof BankTransientError) return [skip('bank.ca', 'the bank could not be reached.'), fail('bank.token', m, `try again later; if it lasts, check ${name('tokenUrl')} and the network.`)];
    return [trusted, fail('bank.token', m, `check ${name('tokenUrl')}.`)];
  }
}

async function signedCallCheck(client: StetClient, bank: Readonly<BankConfig>): Promise<DoctorCheck> {
  const call = `GET /payment-requests/${PROBE_RESOURCE_ID}`;
  try {
    await client.paymentRequests.retrieve(PROBE_RESOURCE_ID);
    return ok('bank.signed-call', `${call} was answered: the bank accepted the QSealC signature.`);
  } catch (err) {
    if (err instanceof BankNotFoundError) return ok('bank.signed-call', `${call} answered 404 as it should: the bank accepted the QSealC signature.`);
    const m = err instanceof Error ? err.message : String(err);
    if (err instanceof BankSignatureRefusedError) return fail('bank.signed-call', m, `check ${name('qsealKey')} and ${name('qsealKeyId')}: the QSealC the bank has registered, and its key.`);
    if (err instanceof BankUnauthorizedError) return fail('bank.signed-call', m, `check ${name('qsealKey')}, ${name('qsealKeyId')} and the QWAC registered with the bank.`);
    if (err instanceof BankTransientError) return fail('bank.signed-call', m, `try again later; if it lasts, check ${name('baseUrl')} and the network.`);
    return fail('bank.signed-call', m, `check ${name('baseUrl')} (${bank.apiBaseUrl}): it must be the bank's STET API base.`);
  }
}

export async function bankChecks(bank: Readonly<BankConfig>): Promise<DoctorCheck[]> {
  const certificates = certificatesCheck(bank);
  if (certificates.status !== 'ok') {
    const why = 'the certificates or keys are not usable.';
    return [certificates, skip('bank.ca', why), skip('bank.token', why), skip('bank.signed-call', why)];
  }
  const { client } = openBank(bank);
  try {
    const [ca, token] = await tokenChecks(client, bank);
    const signed = token.status === 'ok' ? await signedCallCheck(client, bank) : skip('bank.signed-call', 'no access token.');
    return [certificates, ca, token, signed];
  } finally {
    client.close();
  }
}
