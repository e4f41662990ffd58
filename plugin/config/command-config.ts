/** The configuration a command needs: only the sections it uses, with a clear message for what is missing. */
import { loadConfig } from './load-config.js';
import { requireSections, type ConfigWith } from './require-sections.js';
import type { OptionalSection } from './config-types.js';

/** `overrides` (a command's flags, in the file's shape) win over the file and the STETPAY_* variables. */
export function configFor<K extends OptionalSection>(command: string, file: string | undefined, sections: readonly K[], overrides?: object): ConfigWith<K> {
  return requireSections(loadConfig({ file, overrides }), sections, `stetpay ${command}`);
}
