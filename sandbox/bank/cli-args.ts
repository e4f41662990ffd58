/**
 * The flags of `stetpay sandbox bank` (commander options, each checked as it is
 * parsed), turned into BankSandboxOptions by one function, so every option a test
 * or the admin API can set can also be set at start. Light: the stetpay command
 * line imports it to show `--help` without starting anything.
 */
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ibans, parseFlags, share, wholeNumber } from '../cli-values.js';
import { DEFAULT_SANDBOX_PROFILE, SANDBOX_BANKS, type SandboxProfile } from './bank-rules.js';
import type { BankFaults, BankSandboxOptions } from './types.js';

/** A flag the sandbox cannot use: the message names it. Exit 2. */
export class BankUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BankUsageError';
  }
}

const NWM22_MAX_SECONDS = 180 * 24 * 3600;

function tokenLifetime(v: string): number {
  const n = wholeNumber(v);
  if (n > NWM22_MAX_SECONDS) throw new InvalidArgumentError(`NWM-22 caps a token's life at 180 days (${NWM22_MAX_SECONDS} s).`);
  return n;
}

function consentTimeoutMs(v: string): number {
  const minutes = Number(v);
  if (v.trim() === '' || !Number.isFinite(minutes) || minutes <= 0) throw new InvalidArgumentError('Expected a positive number of minutes.');
  return Math.round(minutes * 60_000);
}

/** `--profile`: the bank the sandbox plays, one of those it has rules for. */
export function bankProfileOption(): Option {
  return new Option('--profile <profile>', "the bank's behaviour").choices(Object.keys(SANDBOX_BANKS)).default(DEFAULT_SANDBOX_PROFILE);
}

/** Adds the flags of `stetpay sandbox bank` to `cmd`, with what applies when a flag is not given. */
export function addBankOptions(cmd: Command): Command {
  return cmd
    .option('--port <port>', 'HTTPS port (token, API, consent pages); 0 picks a free one (default: 0)', wholeNumber)
    .option('--host <address>', 'HTTPS address (default: 127.0.0.1)')
    .option('--admin-port <port>', 'plain-HTTP admin port; 0 picks a free one (default: 0)', wholeNumber)
    .option('--admin-host <address>', 'admin API address; it has no authentication, so loopback whatever --host is (default: 127.0.0.1)')
    .addOption(bankProfileOption())
    .option('--auto-consent', 'approve every payment at once and call its successfulReportUrl')
    .option('--certs <dir>', 'make or reuse the test certificates in this folder (default: a temporary folder, removed at the end)')
    .option('--rate <n>', 'at most n requests per second, then 429 TMRQ (default: no limit)', wholeNumber)
    .option('--beneficiaries <ibans>', 'NWM-17: the registered beneficiaries, comma-separated (default: any)', ibans)
    .option('--cash-accounts <ibans>', 'NWM-18: the debtor accounts that are cash accounts, comma-separated (default: any)', ibans)
    .option('--reject-creditors <ibans>', 'transfers to these IBANs are rejected once accepted for execution (RJCT AC04; a request of several shows PART), comma-separated (default: none)', ibans)
    .option('--token-lifetime <seconds>', 'access-token lifetime, at most the NWM-22 180 days (default: 15552000)', tokenLifetime)
    .option('--consent-timeout <minutes>', `no consent after this long: RJCT NOAS (default: ${Object.entries(SANDBOX_BANKS).map(([id, b]) => `${b.consentTimeoutMs / 60_000} for ${id}`).join(', ')})`, consentTimeoutMs)
    .option('--latency <ms>', 'delay before every token/API answer (default: 0)', wholeNumber)
    .option('--error-500-rate <share>', 'share (0..1) of API calls answered 500 (default: 0)', share)
    .option('--error-503-rate <share>', 'share (0..1) of API calls answered 503 (default: 0)', share)
    .option('--drop-rate <share>', 'share (0..1) of API calls whose connection is dropped unanswered (default: 0)', share)
    .option('--record-then-drop-rate <share>', 'share (0..1) of POSTs recorded, then dropped unanswered (default: 0)', share)
    .option('--fault-seed <n>', 'seed of the fault draws (default: 1)', wholeNumber)
    .option('--outage', 'the API is down: token and API calls answer 503; the fallback (fallback: 1) still answers');
}

/** The option values commander parsed (camelCase), as `addBankOptions` declares them. */
export interface BankFlagValues {
  port?: number;
  host?: string;
  adminPort?: number;
  adminHost?: string;
  profile?: string;
  autoConsent?: boolean;
  certs?: string;
  rate?: number;
  beneficiaries?: string[];
  cashAccounts?: string[];
  rejectCreditors?: string[];
  tokenLifetime?: number;
  consentTimeout?: number;
  latency?: number;
  error500Rate?: number;
  error503Rate?: number;
  dropRate?: number;
  recordThenDropRate?: number;
  faultSeed?: number;
  outage?: boolean;
}

/** The sandbox's options from its flags; what was not given is left out, so the sandbox's own defaults apply. */
export function bankOptionsFrom(v: BankFlagValues): BankSandboxOptions {
  const options: BankSandboxOptions = {
    host: v.host,
    port: v.port,
    adminPort: v.adminPort,
    adminHost: v.adminHost,
    profile: (v.profile ?? DEFAULT_SANDBOX_PROFILE) as SandboxProfile,
    autoConsent: v.autoConsent ? 'approve' : 'off',
    certsDir: v.certs ? resolve(v.certs) : undefined,
    requestsPerSecond: v.rate,
    registeredBeneficiaries: v.beneficiaries,
    cashAccounts: v.cashAccounts,
    rejectedCreditorIbans: v.rejectCreditors,
    tokenLifetimeSeconds: v.tokenLifetime,
    consentTimeoutMs: v.consentTimeout,
  };
  const faults: BankFaults = {
    latencyMs: v.latency,
    error500Rate: v.error500Rate,
    error503Rate: v.error503Rate,
    dropRate: v.dropRate,
    recordThenDropRate: v.recordThenDropRate,
    seed: v.faultSeed,
    outage: v.outage ? true : undefined,
  };
  const rates = (faults.error500Rate ?? 0) + (faults.error503Rate ?? 0) + (faults.dropRate ?? 0) + (faults.recordThenDropRate ?? 0);
  if (rates > 1) throw new BankUsageError(`the fault rates add up to ${rates}: at most 1 (each call suffers one fault at most)`);
  const given = Object.entries(faults).filter(([, x]) => x !== undefined);
  if (given.length > 0) options.faults = Object.fromEntries(given) as BankFaults;
  return Object.fromEntries(Object.entries(options).filter(([, x]) => x !== undefined)) as BankSandboxOptions;
}

/** Parses `args` as `stetpay sandbox bank` does (for tests and scripts); a bad flag throws BankUsageError with commander's message. */
export function parseBankArgs(args: string[]): BankSandboxOptions {
  return bankOptionsFrom(parseFlags<BankFlagValues>(addBankOptions(new Command('bank')), args, (m) => new BankUsageError(m)));
}
