import { getBankProfile, type BankProfile } from '../../connector/profiles/index.js';
import { StetClient, type BankSetting } from '../../connector/stet/index.js';
import type { BankConfig } from '../config/index.js';

/** The config key of each client setting: a set-up error names the key to fix. */
export const BANK_SETTING_KEYS: Readonly<Record<BankSetting, string>> = Object.freeze({
  baseUrl: 'bank.apiBaseUrl',
  tokenUrl: 'bank.tokenUrl',
  clientId: 'bank.clientId',
  qwacCert: 'bank.qwacCert',
  qwacKey: 'bank.qwacKey',
  qsealKey: 'bank.qsealKey',
  qsealKeyId: 'bank.qsealKeyId',
  ca: 'bank.ca',
});

/**
 * The STET client for the configured bank, with its profile. Keys stay in memory, never in a log or a job.
 * @throws BankSetupError naming the key (`bank.qwacCert`...) when a certificate, a key or the CA is not what it must be
 */
export function openBank(bank: Readonly<BankConfig>): { client: StetClient; profile: BankProfile } {
  const profile = getBankProfile(bank.profile);
  const client = new StetClient({
    baseUrl: bank.apiBaseUrl,
    tokenUrl: bank.tokenUrl,
    clientId: bank.clientId,
    qwacCert: bank.pem.qwacCert,
    qwacKey: bank.pem.qwacKey,
    qsealKey: bank.pem.qsealKey,
    qsealKeyId: bank.qsealKeyId,
    ca: bank.pem.ca,
    connectTimeoutMs: bank.connectTimeoutMs,
    responseTimeoutMs: bank.responseTimeoutMs,
    profile: { cancellationStatus: profile.cancellationStatus },
    settingNames: BANK_SETTING_KEYS,
  });
  return { client, profile };
}

/** Requests per second shared by all workers: the configured value, else the profile's. */
export function bankRate(bank: Readonly<BankConfig>, profile: BankProfile): number {
  return bank.requestsPerSecond ?? profile.requestsPerSecond;
}
