import { expect } from 'chai';
import { ConfigError } from '../../plugin/config/index.js';

/** The problems of the ConfigError `fn` throws (fails the test when it throws none). */
export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  return expect.fail('expected a ConfigError');
}
