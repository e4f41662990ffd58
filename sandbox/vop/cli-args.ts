/**
 * The flags of `stetpay sandbox vop` (commander options, each checked as it is
 * parsed), turned into VopSandboxOptions by one function. Light: the stetpay
 * command line imports it to show `--help` without starting anything (the
 * seeded directory is made by ./cli.ts when the sandbox starts).
 */
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ibans, parseFlags, share, wholeNumber } from '../cli-values.js';
import type { VopFaults, VopSandboxOptions } from './index.js';

/** A flag the sandbox cannot use: the message names it. Exit 2. */
export class VopUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VopUsageError';
  }
}

/** Adds the flags of `stetpay sandbox vop` to `cmd`, with their defaults. */
export function addVopOptions(cmd: Command): Command {
  return cmd
    .option('--port <port>', 'HTTPS port (mutual TLS); 0 picks a free one', wholeNumber, 0)
    .option('--host <address>', 'HTTPS address', '127.0.0.1')
    .option('--admin-port <port>', 'plain-HTTP admin port; 0 picks a free one', wholeNumber, 0)
    .option('--admin-host <address>', 'admin API address; it has no authentication, so loopback whatever --host is', '127.0.0.1')
    .option('--certs <dir>', 'make or reuse the test certificates in this folder: give the bank sandbox\'s --certs folder to share them (default: a temporary folder)')
    .option('--invoices <n>', 'the directory: the supplier accounts of the Odoo dev server seeded with this many bills', wholeNumber, 50)
    .option('--seed <n>', 'the directory: the seed of the Odoo dev server\'s generated data', wholeNumber, 1)
    .addOption(new Option('--accounts <file>', 'the directory from a JSON file instead: [{"iban": "...", "name": "..."}]').conflicts(['invoices', 'seed']))
    .option('--not-participating <ibans>', 'accounts whose bank takes no part in the scheme (always NOAP), comma-separated (default: none)', ibans)
    .option('--latency <ms>', 'delay before every answer (default: 0)', wholeNumber)
    .option('--timeout-rate <share>', 'share (0..1) of requests never answered (default: 0)', share)
    .option('--noap-rate <share>', 'share (0..1) of requests answered NOAP for every account (default: 0)', share)
    .option('--error-503-rate <share>', 'share (0..1) of requests answered 503 (default: 0)', share)
    .option('--fault-seed <n>', 'seed of the fault draws (default: 1)', wholeNumber);
}

/** The option values commander parsed (camelCase), as `addVopOptions` declares them. */
export interface VopFlagValues {
  port?: number;
  host?: string;
  adminPort?: number;
  adminHost?: string;
  certs?: string;
  invoices?: number;
  seed?: number;
  accounts?: string;
  notParticipating?: string[];
  latency?: number;
  timeoutRate?: number;
  noapRate?: number;
  error503Rate?: number;
  faultSeed?: number;
}

/** Where the directory comes from: the seeded Odoo dev server's suppliers, or a file. */
export type VopDirectory = { seeded: { invoices: number; seed: number } } | { file: string };

/** The sandbox's options from its flags (all but the directory, which cli.ts reads), and where the directory comes from. */
export function vopOptionsFrom(v: VopFlagValues): { options: VopSandboxOptions; directory: VopDirectory } {
  const faults: VopFaults = { latencyMs: v.latency, timeoutRate: v.timeoutRate, noapRate: v.noapRate, error503Rate: v.error503Rate, seed: v.faultSeed };
  const rates = (faults.timeoutRate ?? 0) + (faults.noapRate ?? 0) + (faults.error503Rate ?? 0);
  if (rates > 1) throw new VopUsageError(`the fault rates add up to ${rates}: at most 1 (each request suffers one fault at most)`);
  const options: VopSandboxOptions = {
    host: v.host,
    port: v.port,
    adminPort: v.adminPort,
    adminHost: v.adminHost,
    certsDir: v.certs ? resolve(v.certs) : undefined,
    notParticipating: v.notParticipating,
    faults: Object.fromEntries(Object.entries(faults).filter(([, x]) => x !== undefined)) as VopFaults,
  };
  const directory: VopDirectory = v.accounts ? { file: resolve(v.accounts) } : { seeded: { invoices: v.invoices ?? 50, seed: v.seed ?? 1 } };
  return { options: Object.fromEntries(Object.entries(options).filter(([, x]) => x !== undefined)) as VopSandboxOptions, directory };
}

/** Parses `args` as `stetpay sandbox vop` does (for tests and scripts); a bad flag throws VopUsageError with commander's message. */
export function parseVopArgs(args: string[]): { options: VopSandboxOptions; directory: VopDirectory } {
  return vopOptionsFrom(parseFlags<VopFlagValues>(addVopOptions(new Command('vop')), args, (m) => new VopUsageError(m)));
}
