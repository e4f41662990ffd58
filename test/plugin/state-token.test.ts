import { expect } from 'chai';
import { tokenKind } from '../support/token-kind.js';
import { createHmac } from 'node:crypto';
import { nonceFor, reportUrlsFor, signCompactState, verifyState } from '../../plugin/callback/index.js';

const SECRET = 'state-secret-0123456789abcdef0123456789';
const NOW = new Date('2026-11-25T10:00:00Z');
const EXP = Math.floor(NOW.getTime() / 1000) + 3600;
const payload = { paymentId: 'PI-prod-42-1', billId: 42, exp: EXP };
const sign = (secret = SECRET) => signCompactState(secret, payload);

const kindOf = tokenKind;

describe('consent state token (plugin/callback/state-token)', () => {
  it('round-trips the payload it signed, with the nonce derived from the secret and the payment id', () => {
    expect(verifyState(SECRET, sign(), NOW)).to.deep.equal({ ...payload, nonce: nonceFor(SECRET, 'PI-prod-42-1') });
  });

  it('refuses an expired token, and accepts it one second before', () => {
    const token = sign();
    expect(kindOf(() => verifyState(SECRET, token, new Date(EXP * 1000)))).to.equal('expired');
    expect(kindOf(() => verifyState(SECRET, token, new Date(EXP * 1000 - 1000)))).to.equal('accepted');
  });

  it('refuses the earlier JSON form (base64url JSON + full HMAC-SHA256), even genuinely signed, as forged', () => {
    const body = Buffer.from(JSON.stringify({ ...payload, nonce: 'n-1', outcome: 'success' }), 'utf8').toString('base64url');
    const json = `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
    expect(kindOf(() => verifyState(SECRET, json, NOW))).to.equal('forged');
  });

  it('refuses garbage as malformed', () => {
    for (const t of ['', 'abc', 'a.b.c', 'a b.c', '.x']) expect(kindOf(() => verifyState(SECRET, t, NOW)), t).to.equal('malformed');
  });

  it('reportUrlsFor gives the two callback URLs carrying one compact token, valid on either path', () => {
    const urls = reportUrlsFor('https://stetpay.example.com/', SECRET, { paymentInformationId: 'PI-prod-42-1', instructionId: 'IN-1', endToEndId: 'E2E-1', billId: 42 }, { now: NOW });
    const ok = new URL(urls.successfulReportUrl);
    const ko = new URL(urls.unsuccessfulReportUrl);
    expect(`${ok.origin}${ok.pathname}`).to.equal('https://stetpay.example.com/stet/callback/success');
    expect(`${ko.origin}${ko.pathname}`).to.equal('https://stetpay.example.com/stet/callback/failure');
    const token = ok.searchParams.get('state')!;
    expect(ko.searchParams.get('state')).to.equal(token);
    // No outcome in the token: the path gives it; one nonce, so only one of the two links can ever be used.
    expect(verifyState(SECRET, token, NOW)).to.deep.equal({ paymentId: 'PI-prod-42-1', billId: 42, nonce: nonceFor(SECRET, 'PI-prod-42-1'), exp: Math.floor(NOW.getTime() / 1000) + 35 * 86400 });
    // Same payment and clock: same URLs, so a retried POST carries the same body.
    expect(reportUrlsFor('https://stetpay.example.com', SECRET, { paymentInformationId: 'PI-prod-42-1', instructionId: 'IN-1', endToEndId: 'E2E-1', billId: 42 }, { now: NOW })).to.deep.equal(urls);
  });

  it('keeps the token short: a 128-bit signature, under 90 characters for a 35-character payment id (it is stored in both report URLs of every queued payment)', () => {
    const pid = 'SPP-ABCDEFGHIJKLMNOPQRSTUVWXYZ-1234';
    expect(pid).to.have.length(35, pid);
    const token = signCompactState(SECRET, { paymentId: pid, billId: 99_999_999, exp: EXP });
    const [, sig] = token.split('.') as [string, string];
    expect(Buffer.from(sig, 'base64url')).to.have.length(16);
    expect(token.length).to.be.below(90);
    expect(verifyState(SECRET, token, NOW)).to.deep.equal({ paymentId: pid, billId: 99_999_999, nonce: nonceFor(SECRET, pid), exp: EXP });
  });

  it('refuses a compact token with one character changed, signed with another secret, or past its expiry', () => {
    const token = signCompactState(SECRET, { paymentId: 'PI-prod-42-1', billId: 42, exp: EXP });
    const [body, sig] = token.split('.') as [string, string];
    const flip = (x: string, i: number) => x.slice(0, i) + (x[i] === 'A' ? 'B' : 'A') + x.slice(i + 1);
    expect(kindOf(() => verifyState(SECRET, `${flip(body, 4)}.${sig}`, NOW))).to.equal('forged');
    for (let i = 0; i < sig.length; i++) expect(kindOf(() => verifyState(SECRET, `${body}.${flip(sig, i)}`, NOW)), `signature character ${i}`).to.equal('forged');
    expect(kindOf(() => verifyState(SECRET, signCompactState('another-secret-0123456789abcdef', { paymentId: 'PI-prod-42-1', billId: 42, exp: EXP }), NOW))).to.equal('forged');
    expect(kindOf(() => verifyState(SECRET, token, new Date(EXP * 1000)))).to.equal('expired');
  });

  it('refuses to carry a payment id holding the separator', () => {
    expect(() => signCompactState(SECRET, { paymentId: 'PI~1', billId: 1, exp: EXP })).to.throw(/cannot be carried/);
  });
});
