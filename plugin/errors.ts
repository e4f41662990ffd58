/**
 * The plugin's errors, and how a command's failure is printed: one clear line
 * per failure for the person at the terminal, never a stack (STETPAY_DEBUG=1
 * shows it). Flags are parsed by commander (plugin/cli.ts) before a command
 * runs. Each command's refusal (CancelRefusedError, RetryRefusedError...) is a
 * `CommandRefusal` declared beside the rules that say its reasons.
 */
import { isOdooError } from '../connector/odoo/index.js';
import { isBankError } from '../connector/stet/index.js';

/** Bad usage a command finds in its arguments (commander catches the rest). Exit code 2. */
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

/**
 * Every problem of a configuration at once, each line naming the key path and
 * what it expects, e.g.
 * `config: bank.profile must be one of nwm-18919, stet-1.6 (got 'foo')`.
 * Never carries a secret value.
 */
export class ConfigError extends Error {
  readonly isConfigError = true;
  readonly code = 'STETPAY_CONFIG';

  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

export const isConfigError = (e: unknown): e is ConfigError =>
  e instanceof ConfigError || (e as ConfigError | undefined)?.isConfigError === true;

/**
 * Thrown by a `checkStatus` hook when the token is genuine but stetpay no
 * longer knows the payment (e.g. the bill was resubmitted): the callback then
 * answers 400 "unknown payment" instead of "approved".
 */
export class UnknownPaymentError extends Error {
  readonly isUnknownPaymentError = true;
  constructor(readonly paymentId: string) {
    super(`payment ${paymentId} is not known to stetpay`);
    this.name = 'UnknownPaymentError';
  }
}

export const isUnknownPaymentError = (e: unknown): e is UnknownPaymentError =>
  e instanceof UnknownPaymentError || (e as UnknownPaymentError | undefined)?.isUnknownPaymentError === true;

/** A bad `--since` or `--status` of `stetpay report` (found before Odoo is called). */
export class ReportFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportFilterError';
  }
}

export type StateTokenProblem = 'malformed' | 'forged' | 'expired';

/** Why a state token (a consent link's, a signatory's page's) was refused. `kind` is stable; the message never holds the token. */
export class StateTokenError extends Error {
  readonly isStateTokenError = true;
  constructor(readonly kind: StateTokenProblem, message: string) {
    super(message);
    this.name = 'StateTokenError';
  }
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
