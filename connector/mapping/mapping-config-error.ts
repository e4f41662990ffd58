/**
 * The mapping's configuration does not fit the bank profile (e.g. a
 * categoryPurpose the bank refuses). Thrown, not turned into bill reasons:
 * one wrong setting would otherwise mark every bill invalid. Fix the config.
 */
export class MappingConfigError extends Error {
  override readonly name = 'MappingConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`stetpay configuration does not fit the bank profile: ${problems.join('; ')}`);
  }
}
