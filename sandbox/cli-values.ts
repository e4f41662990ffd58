/**
 * Parsers of the sandboxes' flag values (commander): a bad value is a usage
 * error at parse time, named by commander with our message. Light: the stetpay
 * command line loads it to show `--help`.
 */
import { CommanderError, InvalidArgumentError, type Command, type OptionValues } from 'commander';

const IBAN = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/;

export function wholeNumber(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError('Expected a whole number.');
  return n;
}

/** A share of requests, 0 to 1. */
export function share(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('Expected a share between 0 and 1 (0.1 = 10%).');
  return n;
}

/** IBANs separated by commas, in electronic format (spaces dropped, upper case). */
export function ibans(v: string): string[] {
  const list = v.split(',').map((s) => s.replace(/\s+/g, '').toUpperCase()).filter(Boolean);
  if (list.length === 0) throw new InvalidArgumentError('Expected at least one IBAN (comma-separated).');
  const bad = list.filter((i) => !IBAN.test(i));
  if (bad.length > 0) throw new InvalidArgumentError(`Not an IBAN: ${bad.join(', ')}.`);
  return list;
}

/** Parses `args` with the options of `cmd`, as the stetpay command line would (for tests and scripts); a bad flag throws `usageError` of commander's message. */
export function parseFlags<T extends OptionValues>(cmd: Command, args: string[], usageError: (message: string) => Error): T {
  cmd.exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  try {
    cmd.parse(args, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) throw usageError(err.message.replace(/^error: /, '').replace(/\n/g, ' '));
    throw err;
  }
  return cmd.opts<T>();
}
