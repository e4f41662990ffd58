/** The configuration a command needs: only the sections it uses, with a clear message for what is missing. */
import { loadConfig, requireSections, type ConfigWith, type OptionalSection } from '../config/index.js';

export function configFor<K extends OptionalSection>(command: string, file: string | undefined, sections: readonly K[]): ConfigWith<K> {
  return requireSections(loadConfig({ file }), sections, `stetpay ${command}`);
}
