/** Lets each command state the sections it needs and fail early with what to set. */
import { ConfigError } from '../errors.js';
import type { OptionalSection, StetpayConfig } from './config-types.js';
import { loadConfig } from './load-config.js';

const HOW: Record<OptionalSection, string> = {
  odoo: 'set odoo.url, odoo.database, odoo.username and odoo.password (or odoo.passwordFile) in stetpay.config.json, or STETPAY_ODOO_URL, STETPAY_ODOO_DB, STETPAY_ODOO_USER, STETPAY_ODOO_PASSWORD',
  redis: 'set redis.url in stetpay.config.json or STETPAY_REDIS_URL (e.g. redis://127.0.0.1:6379)',
  bank: 'set bank.profile, bank.apiBaseUrl, bank.tokenUrl, bank.clientId, bank.qwacCert, bank.qwacKey, bank.qsealKey and bank.qsealKeyId in stetpay.config.json, or STETPAY_BANK_PROFILE, STETPAY_BANK_URL, STETPAY_BANK_TOKEN_URL, STETPAY_CLIENT_ID, STETPAY_QWAC_CERT, STETPAY_QWAC_KEY, STETPAY_QSEAL_KEY, STETPAY_QSEAL_KEY_ID',
  callback: 'set callback.publicUrl and callback.secret (or callback.secretFile) in stetpay.config.json, or STETPAY_CALLBACK_URL and STETPAY_CALLBACK_SECRET',
};

export type ConfigWith<K extends OptionalSection> = Readonly<StetpayConfig & Required<Pick<StetpayConfig, K>>>;

/**
 * Returns the config typed with those sections present, or throws one
 * ConfigError naming each missing section and how to set it.
 * @param command shown in the message, e.g. `stetpay run`
 */
export function requireSections<K extends OptionalSection>(config: Readonly<StetpayConfig>, sections: readonly K[], command = 'this command'): ConfigWith<K> {
  const missing = sections.filter((s) => config[s] === undefined);
  if (missing.length) throw new ConfigError(missing.map((s) => `config: ${s} is required by ${command}: ${HOW[s]}`));
  return config as ConfigWith<K>;
}

/** The configuration a command needs: only the sections it uses, with a clear message for what is missing. `overrides` (a command's flags, in the file's shape) win over the file and the STETPAY_* variables. */
export function configFor<K extends OptionalSection>(command: string, file: string | undefined, sections: readonly K[], overrides?: object): ConfigWith<K> {
  return requireSections(loadConfig({ file, overrides }), sections, `stetpay ${command}`);
}
