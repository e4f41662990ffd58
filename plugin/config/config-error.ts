/**
 * Every problem of a configuration at once, each line naming the key path and
 * what it expects, e.g.
 * `config: bank.profile must be one of nwm-18919, stet-1.6 (got 'foo')`.
 * Never carries a secret value.
 */
export class ConfigError extends Error {
  readonly isConfigError = true;
  readonly code = 'STETPAY_CONFIG';

  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

export const isConfigError = (e: unknown): e is ConfigError =>
  e instanceof ConfigError || (e as ConfigError | undefined)?.isConfigError === true;
