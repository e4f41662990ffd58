/**
 * The flags of `stetpay sandbox bank`, turned into BankSandboxOptions by one pure
 * function, so every option a test or the admin API can set can also be set at start.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BankFaults, BankSandboxOptions, SandboxProfile } from './types.js';

export const BANK_USAGE = `Usage: stetpay sandbox bank [options]
  --port P                   HTTPS port (token, API, consent pages); 0 = a free one
  --host H                   HTTPS address (default 127.0.0.1)
  --admin-port A             plain-HTTP admin port; 0 = a free one
  --admin-host H             admin API address (default 127.0.0.1 whatever --host is: it has no authentication)
  --profile nwm-18919|stet-1.6
  --auto-consent             approve every payment at once and call its successfulReportUrl
  --certs DIR                make or reuse the test certificates in DIR
  --rate R                   at most R requests per second (then 429 TMRQ)
  --beneficiaries IBAN,...   NWM-17: the registered beneficiaries (default: any)
  --cash-accounts IBAN,...   NWM-18: the debtor accounts that are cash accounts (default: any)
  --token-lifetime SECONDS   access-token lifetime (default 15552000, 180 days, the NWM-22 maximum)
  --consent-timeout MINUTES  no consent after this long: RJCT NOAS (default 15)
  --latency MS               delay before every token/API answer
  --error-500-rate R         share (0..1) of API calls answered 500
  --error-503-rate R         share (0..1) of API calls answered 503
  --drop-rate R              share (0..1) of API calls whose connection is dropped unanswered
  --record-then-drop-rate R  share (0..1) of POSTs recorded, then dropped unanswered
  --fault-seed N             seed of the fault draws (default 1)
  --outage                   the API is down: token and API calls answer 503; the fallback (fallback: 1) still answers`;

/** A flag the sandbox cannot use: print the message and the usage, exit 2. */
export class BankUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BankUsageError';
  }
}

export type ParsedBankArgs = { help: true } | { help: false; options: BankSandboxOptions };

const NWM22_MAX_SECONDS = 180 * 24 * 3600;
const IBAN = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/;

function wholeNumber(v: string, flag: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 0) throw new BankUsageError(`--${flag} must be a whole number, got "${v}"`);
  return n;
}

function share(v: string, flag: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new BankUsageError(`--${flag} must be a share between 0 and 1 (0.1 = 10%), got "${v}"`);
  return n;
}

function ibans(v: string, flag: string): string[] {
  const list = v.split(',').map((s) => s.replace(/\s+/g, '').toUpperCase()).filter(Boolean);
  if (list.length === 0) throw new BankUsageError(`--${flag} needs at least one IBAN (comma-separated)`);
  const bad = list.filter((i) => !IBAN.test(i));
  if (bad.length > 0) throw new BankUsageError(`--${flag}: not an IBAN: ${bad.join(', ')}`);
  return list;
}

export function parseBankArgs(args: string[]): ParsedBankArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        port: { type: 'string' }, 'admin-port': { type: 'string' }, host: { type: 'string' }, 'admin-host': { type: 'string' }, profile: { type: 'string' },
        'auto-consent': { type: 'boolean' }, certs: { type: 'string' }, rate: { type: 'string' }, help: { type: 'boolean' },
        beneficiaries: { type: 'string' }, 'cash-accounts': { type: 'string' }, 'token-lifetime': { type: 'string' },
        'consent-timeout': { type: 'string' }, latency: { type: 'string' }, 'error-500-rate': { type: 'string' },
        'error-503-rate': { type: 'string' }, 'drop-rate': { type: 'string' }, 'record-then-drop-rate': { type: 'string' },
        'fault-seed': { type: 'string' }, outage: { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new BankUsageError((err as Error).message);
  }
  if (values.help) return { help: true };
  const profile = (values.profile ?? 'nwm-18919') as SandboxProfile;
  if (profile !== 'nwm-18919' && profile !== 'stet-1.6') throw new BankUsageError(`--profile must be nwm-18919 or stet-1.6, got "${profile}"`);
  const opt = <T>(v: string | undefined, flag: string, read: (v: string, flag: string) => T): T | undefined => (v === undefined ? undefined : read(v, flag));

  const options: BankSandboxOptions = {
    host: values.host,
    port: opt(values.port, 'port', wholeNumber),
    adminPort: opt(values['admin-port'], 'admin-port', wholeNumber),
    adminHost: values['admin-host'],
    profile,
    autoConsent: values['auto-consent'] ? 'approve' : 'off',
    certsDir: values.certs ? resolve(values.certs) : undefined,
    requestsPerSecond: opt(values.rate, 'rate', wholeNumber),
    registeredBeneficiaries: opt(values.beneficiaries, 'beneficiaries', ibans),
    cashAccounts: opt(values['cash-accounts'], 'cash-accounts', ibans),
    tokenLifetimeSeconds: opt(values['token-lifetime'], 'token-lifetime', (v, f) => {
      const n = wholeNumber(v, f);
      if (n > NWM22_MAX_SECONDS) throw new BankUsageError(`--token-lifetime: NWM-22 caps a token's life at 180 days (${NWM22_MAX_SECONDS} s), got ${n}`);
      return n;
    }),
    consentTimeoutMs: opt(values['consent-timeout'], 'consent-timeout', (v, f) => {
      const minutes = Number(v);
      if (v.trim() === '' || !Number.isFinite(minutes) || minutes <= 0) throw new BankUsageError(`--${f} must be a positive number of minutes, got "${v}"`);
      return Math.round(minutes * 60_000);
    }),
  };

  const faults: BankFaults = {
    latencyMs: opt(values.latency, 'latency', wholeNumber),
    error500Rate: opt(values['error-500-rate'], 'error-500-rate', share),
    error503Rate: opt(values['error-503-rate'], 'error-503-rate', share),
    dropRate: opt(values['drop-rate'], 'drop-rate', share),
    recordThenDropRate: opt(values['record-then-drop-rate'], 'record-then-drop-rate', share),
    seed: opt(values['fault-seed'], 'fault-seed', wholeNumber),
    outage: values.outage ? true : undefined,
  };
  const rates = (faults.error500Rate ?? 0) + (faults.error503Rate ?? 0) + (faults.dropRate ?? 0) + (faults.recordThenDropRate ?? 0);
  if (rates > 1) throw new BankUsageError(`the fault rates add up to ${rates}: at most 1 (each call suffers one fault at most)`);
  const given = Object.entries(faults).filter(([, v]) => v !== undefined);
  if (given.length > 0) options.faults = Object.fromEntries(given) as BankFaults;

  // Leave out what was not given, so the sandbox's own defaults apply (and show in a deep-equal).
  return { help: false, options: Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as BankSandboxOptions };
}
