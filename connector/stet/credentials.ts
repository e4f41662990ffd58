/**
 * The client's own certificates and keys, checked before any call: a key given
 * as the certificate, a certificate and a key of two different pairs, a CA file
 * holding no certificate are named with their setting here, instead of meeting
 * them later as an OpenSSL message ("PEM routines::no start line") in the middle
 * of a payment. Pure: PEM text in, problems out.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import type { BankSetting } from './errors/bank-error.js';

export interface CredentialProblem {
  setting: BankSetting;
  /** What is wrong and what to give instead; setting names already resolved. */
  problem: string;
}

export interface CredentialInput {
  qwacCert: string | Buffer;
  qwacKey: string | Buffer;
  qsealKey: string | Buffer;
  qsealKeyId: string;
  ca?: string | Buffer | Array<string | Buffer>;
}

/** `_` + the QSealC certificate's SHA-256 fingerprint at the end of its URL (STET framework §3.5). */
export const QSEAL_KEY_ID = /_[0-9a-f]{64}(\.[a-z]+)?$/;

/** The labels of the PEM blocks in `text` (`CERTIFICATE`, `PRIVATE KEY`, `RSA PRIVATE KEY`...). */
export function pemLabels(text: string | Buffer): string[] {
  return [...String(text).matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]!);
}

const isKeyLabel = (l: string) => /PRIVATE KEY$/.test(l);
const day = (d: Date) => d.toISOString().slice(0, 10);

function certificate(setting: BankSetting, what: string, pem: string | Buffer, name: (s: BankSetting) => string, now: Date, out: CredentialProblem[]): X509Certificate | undefined {
  const labels = pemLabels(pem);
  if (!labels.includes('CERTIFICATE')) {
    const holds = labels.some(isKeyLabel) ? 'holds a private key, not a certificate' : labels.length ? `holds a ${labels[0]}, not a certificate` : 'is not a PEM certificate (no -----BEGIN CERTIFICATE----- line)';
    out.push({ setting, problem: `${name(setting)} ${holds}: give the ${what} certificate file (-----BEGIN CERTIFICATE-----)` });
    return undefined;
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (err) {
    out.push({ setting, problem: `${name(setting)} is not a readable certificate (${(err as Error).message}): give the ${what} certificate file` });
    return undefined;
  }
  if (new Date(cert.validTo).getTime() < now.getTime()) {
    out.push({ setting, problem: `${name(setting)} expired on ${day(new Date(cert.validTo))}: the bank refuses it; renew the ${what} certificate and register the new one with the bank` });
  } else if (new Date(cert.validFrom).getTime() > now.getTime()) {
    out.push({ setting, problem: `${name(setting)} is not valid before ${day(new Date(cert.validFrom))}: check this machine's clock` });
  }
  return cert;
}

function privateKey(setting: BankSetting, what: string, pem: string | Buffer, name: (s: BankSetting) => string, out: CredentialProblem[]): KeyObject | undefined {
  const labels = pemLabels(pem);
  if (!labels.some(isKeyLabel)) {
    const holds = labels.includes('CERTIFICATE') ? 'holds a certificate, not a private key' : labels.length ? `holds a ${labels[0]}, not a private key` : 'is not a PEM private key (no -----BEGIN PRIVATE KEY----- line)';
    out.push({ setting, problem: `${name(setting)} ${holds}: give the ${what} private key file (-----BEGIN PRIVATE KEY-----)` });
    return undefined;
  }
  if (labels.includes('ENCRYPTED PRIVATE KEY') || /Proc-Type: 4,ENCRYPTED/.test(String(pem))) {
    out.push({ setting, problem: `${name(setting)} is encrypted with a passphrase: give the ${what} private key unencrypted (openssl pkey -in KEY -out KEY.plain), readable only by stetpay's user` });
    return undefined;
  }
  try {
    return createPrivateKey(pem);
  } catch (err) {
    out.push({ setting, problem: `${name(setting)} is not a readable private key (${(err as Error).message}): give the ${what} private key file` });
    return undefined;
  }
}

/**
 * Every problem of the client's certificates and keys, in the order a person
 * fixes them (QWAC certificate, its key, their match, QSealC key, keyId, CA).
 * `name` turns a setting into what the user calls it (e.g. `bank.qwacCert`).
 */
export function checkCredentials(o: CredentialInput, name: (s: BankSetting) => string = (s) => s, now: Date = new Date()): CredentialProblem[] {
  const out: CredentialProblem[] = [];
  const cert = certificate('qwacCert', 'QWAC', o.qwacCert, name, now, out);
  const key = privateKey('qwacKey', 'QWAC', o.qwacKey, name, out);
  if (cert && key && !cert.checkPrivateKey(key)) {
    out.push({ setting: 'qwacKey', problem: `${name('qwacKey')} does not match the certificate in ${name('qwacCert')}: they come from two different key pairs; give the key the QWAC was issued for` });
  }
  privateKey('qsealKey', 'QSealC', o.qsealKey, name, out);
  if (!QSEAL_KEY_ID.test(o.qsealKeyId)) {
    out.push({ setting: 'qsealKeyId', problem: `${name('qsealKeyId')} must be the URL of the QSealC certificate ending in _ + its SHA-256 fingerprint (64 lowercase hex), e.g. https://example.com/qseal_612b…e.pem` });
  }
  for (const pem of o.ca === undefined ? [] : Array.isArray(o.ca) ? o.ca : [o.ca]) {
    const labels = pemLabels(pem);
    if (!labels.includes('CERTIFICATE')) {
      out.push({ setting: 'ca', problem: `${name('ca')} holds no certificate${labels.some(isKeyLabel) ? ' (it holds a private key)' : ''}: give the file of the CA that signed the bank's server certificate (-----BEGIN CERTIFICATE-----)` });
      continue;
    }
    try {
      new X509Certificate(pem);
    } catch (err) {
      out.push({ setting: 'ca', problem: `${name('ca')} is not a readable certificate (${(err as Error).message}): give the CA file that signed the bank's server certificate` });
    }
  }
  return out;
}
