export * from './config-types.js';
export { ConfigError, isConfigError } from '../errors.js';
export { loadConfig, DEFAULT_CONFIG_FILE, type LoadConfigOptions } from './load-config.js';
export { redactConfig, REDACTED } from './redact-config.js';
export { configFor, requireSections, type ConfigWith } from './require-sections.js';
export { ENV_VARS, CONFIG_FILE_ENV, envVarFor, type EnvVar } from './env-vars.js';
export { configSchema, findPackageRoot } from './manifest-schema.js';
