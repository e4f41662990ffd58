/**
 * The flags of one command, parsed strictly (an unknown flag or a missing value
 * is a usage error, exit 2), and one clear line per failure for the person at
 * the terminal: never a stack (STETPAY_DEBUG=1 shows it).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isOdooError } from '../connector/odoo/index.js';
import { isBankError } from '../connector/stet/index.js';
import { isConfigError } from './config/index.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Bad usage: wrong flag, missing argument. Exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A failure the command expected and explains itself (exit 1): the message is
 * for the user as it stands, one or a few lines, nothing to add.
 */
export class CommandFailure extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailure';
  }
}

/**
 * A command that looked and declined, changing nothing (cancel, resolve):
 * `refusal` says why in a word scripts and tests can match, the message in a
 * sentence a person can act on. Exit code 1.
 */
export class CommandRefusal<R extends string> extends CommandFailure {
  constructor(readonly refusal: R, message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export interface ParseCommandOptions {
  /** Positional arguments accepted, at least. @defaultValue 0 */
  minPositionals?: number;
  /** Positional arguments accepted, at most. @defaultValue 0 */
  maxPositionals?: number;
  /** How the positionals are written in the usage line, e.g. `BILL`. */
  positionalsUsage?: string;
}

/**
 * `parseArgs` with `strict: true`, plus `--config FILE` on every command.
 * @throws UsageError naming the flag and the command (`stetpay report: unknown option '--fromat'`).
 */
export function parseCommandArgs<T extends Options>(command: string, args: string[], options: T, o: ParseCommandOptions = {}) {
  const min = o.minPositionals ?? 0;
  const max = o.maxPositionals ?? 0;
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, config: { type: 'string' } } as T & { config: { type: 'string' } }, strict: true, allowPositionals: max > 0 });
  } catch (err) {
    // node's messages name the flag; drop its hint about '--' which only confuses here
    const msg = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(`stetpay ${command}: ${msg}`);
  }
  const n = parsed.positionals.length;
  const what = o.positionalsUsage ?? 'argument';
  if (n < min) throw new UsageError(`stetpay ${command}: missing ${what}`);
  if (n > max) throw new UsageError(`stetpay ${command}: unexpected argument '${parsed.positionals[max]}'`);
  return parsed;
}

/** One value among `allowed`, or a UsageError listing them. */
export function oneOf<T extends string>(command: string, flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`stetpay ${command}: --${flag} '${value}' is not one of ${allowed.join(', ')}`);
  return value as T;
}

/**
 * Prints a failure as the person running the command needs it and returns the
 * exit code: 2 for bad usage, 1 otherwise. A ConfigError prints its lines (each
 * names a key); bank errors add the request id to quote to the bank's support.
 */
export function printError(command: string, err: unknown, print: (line: string) => void = (l) => console.error(l)): number {
  const e = err as Error | undefined;
  if (err instanceof UsageError) {
    print(err.message);
    print(`Run 'stetpay --help' for the usage.`);
    return 2;
  }
  if (isConfigError(err)) print(err.message);
  else if (err instanceof CommandFailure) print(`stetpay ${command}: ${err.message}`);
  else if (isBankError(err)) print(`stetpay ${command}: ${/bank/i.test(err.message) ? '' : 'bank: '}${err.message}${err.requestId ? ` (request id ${err.requestId}: quote it to the bank's support)` : ''}`);
  else if (isOdooError(err)) print(`stetpay ${command}: ${/odoo/i.test(err.message) ? '' : 'Odoo: '}${err.message}`);
  else print(`stetpay ${command}: ${(e?.message ?? String(err)).replace(/^stetpay: /, '')}`);
  if (process.env.STETPAY_DEBUG && e?.stack) print(e.stack);
  return 1;
}
