/**
 * The shape of a loaded, validated stetpay configuration. Kept equal by hand to
 * `configSchema` in manifest.json (a test loads a full config through both).
 */

/** The id of one of the bank profiles (connector/profiles); the schema's enum, made from them, checks it. */
export type BankProfileId = string;

/** One Odoo domain term: an operator or a `[field, operator, value]` triple. */
export type OdooDomainTerm = '&' | '|' | '!' | [string, string, unknown];

export interface OdooConfig {
  /** Base URL of Odoo, `http(s)://host[:port]`. */
  url: string;
  database: string;
  username: string;
  /** Password or API key: from `password`, `passwordFile` or the environment. Secret. */
  password: string;
  /** Where the password was read from, when it came from a file (absolute path). */
  passwordFile?: string;
  /** Ms per XML-RPC call. @defaultValue 30000 */
  timeoutMs: number;
  /** Path of the CA PEM for Odoo's HTTPS certificate. */
  ca?: string;
  /** The CA PEM text, read from `ca`. */
  caPem?: string;
  /** Allows an http:// `url` to another machine (the API key in clear; warned on every start). @defaultValue false */
  allowInsecureHttp: boolean;
  /** Replaces the default "approved bills" domain. */
  approvedDomain?: OdooDomainTerm[];
}

export interface RedisConfig {
  /** `redis://` or `rediss://` URL; may hold a password (never printed). */
  url: string;
  /** Queue prefix; on Redis Cluster it must carry a hash tag, e.g. `{stetpay}` (checked at load). @defaultValue 'bull' */
  prefix: string;
  /** A Redis Cluster: `url` is one seed node. @defaultValue false */
  cluster: boolean;
  /** More seed nodes of the cluster (URLs). */
  nodes?: string[];
}

/** PEM text read from the bank section's file paths. */
export interface BankPem {
  qwacCert: string;
  /** Secret. */
  qwacKey: string;
  /** Secret. */
  qsealKey: string;
  ca?: string;
}

export interface BankConfig {
  profile: BankProfileId;
  /** STET API base URL (before `/payment-requests`). */
  apiBaseUrl: string;
  tokenUrl: string;
  clientId: string;
  /** Absolute path of the QWAC certificate PEM. */
  qwacCert: string;
  /** Absolute path of the QWAC private key PEM. */
  qwacKey: string;
  /** Absolute path of the QSealC private key PEM. */
  qsealKey: string;
  /** HTTP-signature keyId (URL of the QSealC certificate). */
  qsealKeyId: string;
  /** Absolute path of the bank's CA PEM. */
  ca?: string;
  /** Registered beneficiary IBANs, normalised: upper case, no spaces. */
  registeredBeneficiaries?: string[];
  /** Shared bank calls per second; unset = the profile's own limit. */
  requestsPerSecond?: number;
  /** @defaultValue 5000 */
  connectTimeoutMs: number;
  /** @defaultValue 30000 */
  responseTimeoutMs: number;
  /** When payments are POSTed (`nightly` or `on-signatory`); unset = the bank profile's. */
  submissionMode?: 'nightly' | 'on-signatory';
  /** Minutes the bank keeps a payment waiting for consent; unset = the bank profile's. */
  consentWindowMinutes?: number;
  /** Transfers per payment request, at most the profile's; unset = the profile's. */
  maxTransactionsPerRequest?: number;
  /** The files' contents, read once at load. */
  pem: BankPem;
}

export interface CallbackConfig {
  /** Public base URL, no trailing slash, e.g. `https://stetpay.example.com`. */
  publicUrl: string;
  /** @defaultValue 8787 */
  listenPort: number;
  /** @defaultValue '127.0.0.1' */
  listenHost: string;
  /** HMAC key of the state tokens. Secret. */
  secret: string;
  /** Where the secret was read from, when it came from a file. */
  secretFile?: string;
}

export interface PaymentsConfig {
  /** @defaultValue 'due-date' */
  executionPolicy: 'due-date' | 'asap';
  /** HH:MM in `timeZone`. @defaultValue '15:00' */
  cutoffTime: string;
  /** @defaultValue 'Europe/Paris' */
  timeZone: string;
  /** @defaultValue 'CASH' */
  categoryPurpose: string;
  /** The transfers' ISO 20022 `purpose`, one the profile accepts; absent = none sent. */
  purpose?: string;
  /** Send as SEPA Instant (`localInstrument: INST`), where the profile allows it. @defaultValue false */
  instant?: boolean;
}

/** PEM text read from the vop section's file paths. */
export interface VopPem {
  cert: string;
  /** Secret. */
  key: string;
  ca?: string;
}

/** Verification of Payee (docs/vop.md). */
export interface VopConfig {
  /** @defaultValue 'warn' */
  mode: 'off' | 'warn' | 'enforce';
  /** The provider's base URL; absent = not configured (warn then only warns). */
  url?: string;
  /** Absolute path of the client certificate PEM. */
  cert?: string;
  /** Absolute path of its private key PEM. */
  key?: string;
  /** Absolute path of the provider's CA PEM. */
  ca?: string;
  /** @defaultValue 10000 */
  timeoutMs: number;
  /** @defaultValue 100 */
  batchSize: number;
  /** @defaultValue 24 */
  cacheHours: number;
  /** @defaultValue 'warn' */
  notPossible: 'warn' | 'hold';
  /** @defaultValue false */
  bulkOptOut: boolean;
  /** The files' contents, read once at load, when url is set. */
  pem?: VopPem;
}

export interface WorkerConfig {
  /** @defaultValue 2 */
  concurrency: number;
  /** @defaultValue 8 */
  attempts: number;
  /** @defaultValue 50 */
  writebackBatchSize: number;
}

export interface SyncConfig {
  /** @defaultValue 15 */
  everyMinutes: number;
}

export interface ScheduleConfig {
  /** @defaultValue '0 30 2 * * *' */
  cron: string;
  /** @defaultValue 'Europe/Paris' */
  tz: string;
}

/** Who is told: Odoo logins and/or an Odoo group (its xml id). */
export interface ActivityRecipients {
  users?: string[];
  group?: string;
}

export interface ActivitiesConfig {
  /** @defaultValue {} (nobody) */
  signatories: ActivityRecipients;
  /** @defaultValue {} (nobody) */
  clerks: ActivityRecipients;
  /** HH:MM in payments.timeZone. @defaultValue '07:30' */
  summaryTime: string;
  /** @defaultValue 12 */
  linkHours: number;
}

/**
 * A loaded configuration. Sections without defaults (odoo, redis, bank,
 * callback) are absent when not configured: a command that needs one calls
 * `requireSections`.
 */
export interface StetpayConfig {
  odoo?: OdooConfig;
  redis?: RedisConfig;
  bank?: BankConfig;
  callback?: CallbackConfig;
  payments: PaymentsConfig;
  vop: VopConfig;
  worker: WorkerConfig;
  sync: SyncConfig;
  schedule: ScheduleConfig;
  activities: ActivitiesConfig;
  /** Where the configuration came from: the file read (absolute), or null when none. */
  source: { file: string | null };
}

export type OptionalSection = 'odoo' | 'redis' | 'bank' | 'callback';
