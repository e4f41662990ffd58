import { expect } from 'chai';
import { StateTokenError } from '../../plugin/callback/index.js';

/** What a token check says: the StateTokenError's kind (`malformed`, `forged`, `expired`), or `accepted`. */
export function tokenKind(check: () => unknown): string {
  try {
    check();
  } catch (err) {
    expect(err).to.be.instanceOf(StateTokenError);
    return (err as StateTokenError).kind;
  }
  return 'accepted';
}
