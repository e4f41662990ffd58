/**
 * What every command shares: its flags (strict, with a clear error), its
 * configuration (only the sections it needs), and one clear line on failure,
 * never a stack (STETPAY_DEBUG=1 shows it).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isConfigError, loadConfig, requireSections, type ConfigWith, type OptionalSection } from '../config/index.js';

export class UsageError extends Error {}

export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args, options: { ...options, config: { type: 'string' } }, strict: true, allowPositionals });
  } catch (err) {
    throw new UsageError(`stetpay ${command}: ${(err as Error).message}`);
  }
}

export function configFor<K extends OptionalSection>(command: string, file: string | undefined, sections: readonly K[]): ConfigWith<K> {
  return requireSections(loadConfig({ file }), sections, `stetpay ${command}`);
}

/** Prints a failure as the person running the command needs it; returns the exit code. */
export function reportFailure(command: string, err: unknown): number {
  if (err instanceof UsageError) {
    console.error(err.message);
    return 2;
  }
  const e = err as Error;
  if (isConfigError(err)) console.error(e.message);
  else console.error(`stetpay ${command}: ${e?.message ?? String(err)}`);
  if (process.env.STETPAY_DEBUG) console.error(e?.stack);
  return 1;
}
