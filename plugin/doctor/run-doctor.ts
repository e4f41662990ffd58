/**
 * `stetpay doctor` without the terminal: loads the configuration, then checks
 * Odoo, Redis and the bank side by side, the callback URL and the clock. Never
 * throws for what it finds (each finding is a check); only a bug throws.
 */
import { isConfigError, loadConfig, requireSections, type LoadConfigOptions, type OptionalSection, type StetpayConfig } from '../config/index.js';
import { bankChecks } from './bank-checks.js';
import { callbackUrlCheck, clockCheck, type ClockSource } from './deployment-checks.js';
import { fail, ok, report, skip, type DoctorCheck, type DoctorReport } from './doctor-report.js';
import { odooChecks, type Right } from './odoo-checks.js';
import { redisChecks } from './redis-checks.js';

export interface DoctorOptions extends Pick<LoadConfigOptions, 'file' | 'env' | 'cwd'> {
  /** The Odoo rights to check. @defaultValue DAILY_RIGHTS */
  odooRights?: readonly Right[];
}

/** The checks of each section, for the SKIP lines when the section is not configured. */
const SECTION_CHECKS: Record<OptionalSection, string[]> = {
  odoo: ['odoo.reachable', 'odoo.version', 'odoo.login', 'odoo.fields', 'odoo.rights'],
  redis: ['redis.reachable', 'redis.version', 'redis.eviction', 'redis.persistence', 'schedules'],
  bank: ['bank.certificates', 'bank.ca', 'bank.token', 'bank.signed-call'],
  callback: ['callback.url'],
};
const SECTIONS = Object.keys(SECTION_CHECKS) as OptionalSection[];

function configCheck(config: Readonly<StetpayConfig>): DoctorCheck {
  const where = config.source.file ?? 'the STETPAY_* variables (no config file)';
  const missing = SECTIONS.filter((s) => config[s] === undefined);
  if (missing.length === 0) return ok('config', `${where}: valid.`);
  try {
    requireSections(config, missing, 'stetpay doctor');
  } catch (err) {
    if (!isConfigError(err)) throw err;
    const how = err.problems.map((p) => p.replace(/^config: \w+ is required by stetpay doctor: /, '')).join('; ');
    return fail('config', `${where}: valid, but without the ${missing.join(', ')} section${missing.length > 1 ? 's' : ''}.`, `${how}.`);
  }
  return ok('config', `${where}: valid.`);
}

export async function runDoctor(o: DoctorOptions = {}): Promise<DoctorReport> {
  let config: Readonly<StetpayConfig>;
  try {
    config = loadConfig({ file: o.file, env: o.env, cwd: o.cwd });
  } catch (err) {
    if (!isConfigError(err)) throw err;
    return report([fail('config', err.problems.map((p) => p.replace(/^config: /, '')).join('; '), 'correct each key named (docs/config.md lists every key).')]);
  }
  const notConfigured = (s: OptionalSection) => SECTION_CHECKS[s].map((id) => skip(id, `no ${s} section in the configuration.`));
  const [odoo, redis, bank] = await Promise.all([
    config.odoo ? odooChecks(config.odoo, o.odooRights) : notConfigured('odoo'),
    config.redis ? redisChecks(config.redis) : notConfigured('redis'),
    config.bank ? bankChecks(config.bank) : notConfigured('bank'),
  ]);
  const sources: ClockSource[] = [
    ...(config.bank ? [{ name: 'the bank', url: config.bank.apiBaseUrl, ...(config.bank.pem.ca ? { ca: config.bank.pem.ca } : {}) }] : []),
    ...(config.odoo ? [{ name: 'Odoo', url: config.odoo.url, ...(config.odoo.caPem ? { ca: config.odoo.caPem } : {}) }] : []),
  ];
  const callback = config.callback ? [callbackUrlCheck(config.callback)] : notConfigured('callback');
  // The schedules line comes from Redis; it reads best last.
  const schedules = redis.filter((c) => c.id === 'schedules');
  return report([configCheck(config), ...odoo, ...redis.filter((c) => c.id !== 'schedules'), ...bank, ...callback, await clockCheck(sources), ...schedules]);
}
