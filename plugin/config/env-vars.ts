/**
 * The environment variables stetpay reads, and the config key each sets.
 * One list, so the loader, the error messages and docs/config.md agree
 * (a test checks the docs name every one).
 */
export interface EnvVar {
  name: string;
  /** Dotted key path in the config, e.g. `odoo.url`. */
  path: string;
  /** How the text is turned into a value before validation. */
  kind: 'string' | 'integer' | 'number' | 'boolean' | 'list';
}

export const ENV_VARS: readonly EnvVar[] = [
  { name: 'STETPAY_ODOO_URL', path: 'odoo.url', kind: 'string' },
  { name: 'STETPAY_ODOO_DB', path: 'odoo.database', kind: 'string' },
  { name: 'STETPAY_ODOO_USER', path: 'odoo.username', kind: 'string' },
  { name: 'STETPAY_ODOO_PASSWORD', path: 'odoo.password', kind: 'string' },
  { name: 'STETPAY_ODOO_PASSWORD_FILE', path: 'odoo.passwordFile', kind: 'string' },
  { name: 'STETPAY_ODOO_TIMEOUT_MS', path: 'odoo.timeoutMs', kind: 'integer' },
  { name: 'STETPAY_ODOO_CA', path: 'odoo.ca', kind: 'string' },
  { name: 'STETPAY_ODOO_ALLOW_INSECURE_HTTP', path: 'odoo.allowInsecureHttp', kind: 'boolean' },
  { name: 'STETPAY_REDIS_URL', path: 'redis.url', kind: 'string' },
  { name: 'STETPAY_REDIS_PREFIX', path: 'redis.prefix', kind: 'string' },
  { name: 'STETPAY_REDIS_CLUSTER', path: 'redis.cluster', kind: 'boolean' },
  { name: 'STETPAY_REDIS_NODES', path: 'redis.nodes', kind: 'list' },
  { name: 'STETPAY_BANK_PROFILE', path: 'bank.profile', kind: 'string' },
  { name: 'STETPAY_BANK_URL', path: 'bank.apiBaseUrl', kind: 'string' },
  { name: 'STETPAY_BANK_TOKEN_URL', path: 'bank.tokenUrl', kind: 'string' },
  { name: 'STETPAY_CLIENT_ID', path: 'bank.clientId', kind: 'string' },
  { name: 'STETPAY_QWAC_CERT', path: 'bank.qwacCert', kind: 'string' },
  { name: 'STETPAY_QWAC_KEY', path: 'bank.qwacKey', kind: 'string' },
  { name: 'STETPAY_QSEAL_KEY', path: 'bank.qsealKey', kind: 'string' },
  { name: 'STETPAY_QSEAL_KEY_ID', path: 'bank.qsealKeyId', kind: 'string' },
  { name: 'STETPAY_BANK_CA', path: 'bank.ca', kind: 'string' },
  { name: 'STETPAY_BANK_BENEFICIARIES', path: 'bank.registeredBeneficiaries', kind: 'list' },
  { name: 'STETPAY_BANK_RPS', path: 'bank.requestsPerSecond', kind: 'number' },
  { name: 'STETPAY_SUBMISSION_MODE', path: 'bank.submissionMode', kind: 'string' },
  { name: 'STETPAY_CALLBACK_URL', path: 'callback.publicUrl', kind: 'string' },
  { name: 'STETPAY_CALLBACK_PORT', path: 'callback.listenPort', kind: 'integer' },
  { name: 'STETPAY_CALLBACK_HOST', path: 'callback.listenHost', kind: 'string' },
  { name: 'STETPAY_CALLBACK_SECRET', path: 'callback.secret', kind: 'string' },
  { name: 'STETPAY_CALLBACK_SECRET_FILE', path: 'callback.secretFile', kind: 'string' },
  { name: 'STETPAY_EXECUTION_POLICY', path: 'payments.executionPolicy', kind: 'string' },
  { name: 'STETPAY_CUTOFF_TIME', path: 'payments.cutoffTime', kind: 'string' },
  { name: 'STETPAY_APPROVALS_FOUR_EYES', path: 'approvals.fourEyes', kind: 'boolean' },
  { name: 'STETPAY_APPROVALS_GROUP', path: 'approvals.approversGroup', kind: 'string' },
  { name: 'STETPAY_APPROVALS_SECOND_ABOVE', path: 'approvals.secondApproverAbove', kind: 'number' },
  { name: 'STETPAY_APPROVALS_ACCOUNT_HOLD_DAYS', path: 'approvals.accountHoldDays', kind: 'integer' },
  { name: 'STETPAY_VOP_MODE', path: 'vop.mode', kind: 'string' },
  { name: 'STETPAY_VOP_URL', path: 'vop.url', kind: 'string' },
  { name: 'STETPAY_VOP_CERT', path: 'vop.cert', kind: 'string' },
  { name: 'STETPAY_VOP_KEY', path: 'vop.key', kind: 'string' },
  { name: 'STETPAY_VOP_CA', path: 'vop.ca', kind: 'string' },
  { name: 'STETPAY_VOP_TIMEOUT_MS', path: 'vop.timeoutMs', kind: 'integer' },
  { name: 'STETPAY_VOP_BATCH_SIZE', path: 'vop.batchSize', kind: 'integer' },
  { name: 'STETPAY_VOP_CACHE_HOURS', path: 'vop.cacheHours', kind: 'number' },
  { name: 'STETPAY_VOP_NOT_POSSIBLE', path: 'vop.notPossible', kind: 'string' },
  { name: 'STETPAY_VOP_BULK_OPT_OUT', path: 'vop.bulkOptOut', kind: 'boolean' },
  { name: 'STETPAY_WORKER_CONCURRENCY', path: 'worker.concurrency', kind: 'integer' },
  { name: 'STETPAY_SYNC_EVERY_MINUTES', path: 'sync.everyMinutes', kind: 'integer' },
  { name: 'STETPAY_SCHEDULE_CRON', path: 'schedule.cron', kind: 'string' },
  { name: 'STETPAY_SCHEDULE_TZ', path: 'schedule.tz', kind: 'string' },
  { name: 'STETPAY_SIGNATORIES', path: 'activities.signatories.users', kind: 'list' },
  { name: 'STETPAY_CLERKS', path: 'activities.clerks.users', kind: 'list' },
];

/** `STETPAY_CONFIG`: path of the config file when `--config` is not given. */
export const CONFIG_FILE_ENV = 'STETPAY_CONFIG';

export function envVarFor(path: string): string | undefined {
  return ENV_VARS.find((v) => v.path === path)?.name;
}

/** Secret values and the key that names a file holding each. */
export const SECRET_FILE_PAIRS: readonly { value: string; file: string }[] = [
  { value: 'odoo.password', file: 'odoo.passwordFile' },
  { value: 'callback.secret', file: 'callback.secretFile' },
];

/** Keys holding file paths: relative paths in the file are resolved from the file's folder. */
export const PATH_KEYS = ['odoo.passwordFile', 'odoo.ca', 'bank.qwacCert', 'bank.qwacKey', 'bank.qsealKey', 'bank.ca', 'callback.secretFile', 'vop.cert', 'vop.key', 'vop.ca'] as const;
