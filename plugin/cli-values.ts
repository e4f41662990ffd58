/**
 * Parsers of option values for the command line: a bad value is a usage error
 * (exit 2) at parse time, before any command module loads. Commander prints
 * "option '--concurrency <n>' argument 'abc' is invalid." and then our message.
 * Light on purpose: plugin/cli.ts imports it for every command, `--help` included.
 */
import { InvalidArgumentError } from 'commander';

/** A whole number from `min` to `max`. */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}.`);
    return n;
  };
}

/** A number above 0 (fractions allowed), e.g. minutes or seconds. */
export function positiveNumber(unit: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`Expected a number of ${unit} above 0.`);
    return n;
  };
}

/** A TCP port; 0 picks a free one. */
export const port = wholeNumber(0, 65535);
