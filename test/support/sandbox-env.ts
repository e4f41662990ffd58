/**
 * The STETPAY_* environment that points a stetpay child process at the
 * sandboxes a test or a benchmark started (Odoo dev server, bank sandbox and
 * its test certificates, a Redis): what a user would put in their shell.
 */
import type { TestCertificates } from '../../sandbox/bank/index.js';

export interface SandboxEnvParts {
  odoo: { url: string; database: string; admin: { login: string; password: string } };
  bank: { apiBaseUrl: string; tokenUrl: string; certs: TestCertificates };
  redisUrl: string;
  prefix: string;
  /** IBANs registered at the bank (NWM-17). */
  registeredIbans: string[];
}

export function stetpayEnvFor(p: SandboxEnvParts): Record<string, string> {
  const c = p.bank.certs;
  return {
    STETPAY_REDIS_URL: p.redisUrl,
    STETPAY_REDIS_PREFIX: p.prefix,
    STETPAY_ODOO_URL: p.odoo.url,
    STETPAY_ODOO_DB: p.odoo.database,
    STETPAY_ODOO_USER: p.odoo.admin.login,
    STETPAY_ODOO_PASSWORD: p.odoo.admin.password,
    STETPAY_BANK_PROFILE: 'nwm-18919',
    // The workers POST each payment after the run (NWM's own default waits for the signatory's page).
    STETPAY_SUBMISSION_MODE: 'nightly',
    STETPAY_BANK_URL: p.bank.apiBaseUrl,
    STETPAY_BANK_TOKEN_URL: p.bank.tokenUrl,
    STETPAY_CLIENT_ID: c.organisationId,
    STETPAY_QWAC_CERT: c.qwacCertPath,
    STETPAY_QWAC_KEY: c.qwacKeyPath,
    STETPAY_QSEAL_KEY: c.qsealKeyPath,
    STETPAY_QSEAL_KEY_ID: c.qsealKeyId,
    STETPAY_BANK_CA: c.caCertPath,
    STETPAY_BANK_BENEFICIARIES: p.registeredIbans.join(','),
  };
}
