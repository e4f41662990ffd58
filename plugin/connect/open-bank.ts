import { getBankProfile, type BankProfile, type SubmissionMode } from '../../connector/profiles/index.js';
import { StetClient, type BankSetting } from '../../connector/stet/index.js';
import { BankRateLimiter, type RedisClient } from '../../worker/index.js';
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

/** Where the bank's shared rate limit lives: the queues' Redis and prefix. */
export interface BankRateStore {
  redis: RedisClient;
  prefix: string;
}

/**
 * The STET client for the configured bank, with its profile. Keys stay in memory, never in a log or a job.
 * With `rate`, every request waits for the rate limit all stetpay processes share in Redis (BANK-RATE);
 * every command that has Redis passes it.
 * @throws BankSetupError naming the key (`bank.qwacCert`...) when a certificate, a key or the CA is not what it must be
 */
export function openBank(bank: Readonly<BankConfig>, rate?: BankRateStore): { client: StetClient; profile: BankProfile } {
  const profile = getBankProfile(bank.profile);
  const limiter = rate && new BankRateLimiter(rate.redis, {
    prefix: rate.prefix,
    requestsPerSecond: bankRate(bank, profile),
    requestTimeoutMs: bank.connectTimeoutMs + bank.responseTimeoutMs,
  });
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
    profile,
    settingNames: BANK_SETTING_KEYS,
    beforeRequest: limiter && (async (signal) => (await limiter.acquire(signal)).end),
  });
  return { client, profile };
}

/** Requests per second shared by all workers: the configured value, else the profile's. */
export function bankRate(bank: Readonly<Pick<BankConfig, 'requestsPerSecond'>>, profile: Pick<BankProfile, 'requestsPerSecond'>): number {
  return bank.requestsPerSecond ?? profile.requestsPerSecond;
}

/** A full status sync's pace in one process: at most a quarter of `bankRate`, so the submissions keep the rest. */
export function syncRate(bank: Readonly<Pick<BankConfig, 'requestsPerSecond'>>, profile: Pick<BankProfile, 'requestsPerSecond'>): number {
  return Math.max(1, bankRate(bank, profile) / 4);
}

/**
 * The submit job's lock, from `bank.responseTimeoutMs`. It must outlive the worst bank call the config
 * allows (a token fetch plus the POST), else a second worker takes a job whose POST is still in flight:
 * 4x the response time-out (120 s by default). Stalled checks at a quarter of it (at most 30 s), so a
 * killed worker's job resumes soon.
 */
export function submitLock(bank: Readonly<Pick<BankConfig, 'responseTimeoutMs'>>): { lockDurationMs: number; stalledIntervalMs: number } {
  const lockDurationMs = 4 * bank.responseTimeoutMs;
  return { lockDurationMs, stalledIntervalMs: Math.min(30_000, Math.ceil(lockDurationMs / 4)) };
}

/** How payments reach the bank: when they are POSTed, how long the bank waits for consent, how many transfers per request. */
export interface SubmissionSettings {
  mode: SubmissionMode;
  consentWindowMs: number;
  maxTransactionsPerRequest: number;
}

/**
 * The configured submission settings, each defaulting to the profile's.
 * @throws Error naming `bank.maxTransactionsPerRequest` when it asks more transfers per request than the bank takes
 */
export function submissionSettings(bank: Readonly<Pick<BankConfig, 'submissionMode' | 'consentWindowMinutes' | 'maxTransactionsPerRequest'>>, profile: BankProfile): SubmissionSettings {
  const max = bank.maxTransactionsPerRequest ?? profile.maxTransactionsPerRequest;
  if (max > profile.maxTransactionsPerRequest) {
    throw new Error(`bank.maxTransactionsPerRequest is ${max}, but ${profile.name} (${profile.id}) takes at most ${profile.maxTransactionsPerRequest} transfer(s) per request: lower it or remove it`);
  }
  return {
    mode: bank.submissionMode ?? profile.submissionMode,
    consentWindowMs: (bank.consentWindowMinutes ?? profile.consentWindowMinutes) * 60_000,
    maxTransactionsPerRequest: max,
  };
}
