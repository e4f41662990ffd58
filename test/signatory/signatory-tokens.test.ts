import { expect } from 'chai';
import { tokenKind } from '../support/token-kind.js';
import { signCompactState, verifyState } from '../../plugin/callback/index.js';
import { actionToken, isActionToken, signSignatoryLink, signSignatorySession, verifySignatoryLink, verifySignatorySession } from '../../plugin/signatory/signatory-tokens.js';

const SECRET = 'signatory-secret-0123456789abcdef0123';
const NOW = new Date('2026-11-25T07:30:00Z');
const EXP = Math.floor(NOW.getTime() / 1000) + 12 * 3600;

const kindOf = tokenKind;

describe('the signatory\'s link, session and button tokens (plugin/signatory/signatory-tokens)', () => {
  it('LINK-01 a link names its signatory, expires, and carries a one-shot nonce; it is refused one second after its expiry', () => {
    const t = signSignatoryLink(SECRET, 42, EXP, 'nonce-0123456789abcdef');
    expect(verifySignatoryLink(SECRET, t, NOW)).to.deep.equal({ userId: 42, exp: EXP, nonce: 'nonce-0123456789abcdef' });
    expect(kindOf(() => verifySignatoryLink(SECRET, t, new Date(EXP * 1000 - 1000)))).to.equal('accepted');
    expect(kindOf(() => verifySignatoryLink(SECRET, t, new Date(EXP * 1000)))).to.equal('expired');
  });

  it('LINK-02 another secret, an altered user id or signature is forged; a token of another kind (session, consent state) is never a link, nor the reverse', () => {
    const t = signSignatoryLink(SECRET, 42, EXP);
    expect(kindOf(() => verifySignatoryLink('another-secret-0123456789abcdef', t, NOW))).to.equal('forged');
    const [body, sig] = t.split('.') as [string, string];
    const other = Buffer.from(Buffer.from(body, 'base64url').toString().replace(/^[^~]+/, (43).toString(36))).toString('base64url');
    expect(kindOf(() => verifySignatoryLink(SECRET, `${other}.${sig}`, NOW))).to.equal('forged');
    const session = signSignatorySession(SECRET, { userId: 42, exp: EXP, sessionId: 'session-0123456789abcd' });
    expect(kindOf(() => verifySignatoryLink(SECRET, session, NOW))).to.equal('forged');
    expect(kindOf(() => verifySignatorySession(SECRET, t, NOW))).to.equal('forged');
    const state = signCompactState(SECRET, { paymentId: 'SPP-ABC123-42-1', billId: 42, exp: EXP });
    expect(kindOf(() => verifySignatoryLink(SECRET, state, NOW))).to.equal('forged');
    expect(kindOf(() => verifyState(SECRET, t, NOW))).to.equal('forged');
    for (const g of ['', 'abc', 'a.b.c', '.x']) expect(kindOf(() => verifySignatoryLink(SECRET, g, NOW)), g).to.equal('malformed');
  });

  it('LINK-03 a button\'s token is bound to its session and its payment', () => {
    const a = actionToken(SECRET, 'session-A-0123456789ab', 'SPP-ABC123-42-1');
    expect(isActionToken(SECRET, 'session-A-0123456789ab', 'SPP-ABC123-42-1', a)).to.equal(true);
    expect(isActionToken(SECRET, 'session-B-0123456789ab', 'SPP-ABC123-42-1', a)).to.equal(false);
    expect(isActionToken(SECRET, 'session-A-0123456789ab', 'SPP-ABC123-43-1', a)).to.equal(false);
    expect(isActionToken(SECRET, 'session-A-0123456789ab', 'SPP-ABC123-42-1', 'x')).to.equal(false);
  });
});
