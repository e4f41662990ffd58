import { getBankProfile, type BankProfile } from '../../connector/profiles/index.js';
import { StetClient } from '../../connector/stet/index.js';
import type { BankConfig } from '../config/index.js';

/** The STET client for the configured bank, with its profile. Keys stay in memory, never in a log or a job. */
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
  });
  return { client, profile };
}

/** Requests per second shared by all workers: the configured value, else the profile's. */
export function bankRate(bank: Readonly<BankConfig>, profile: BankProfile): number {
  return bank.requestsPerSecond ?? profile.requestsPerSecond;
}
