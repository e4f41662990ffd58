import { expect } from 'chai';
import {
  BankConflictError, BankDuplicateError, BankError, BankNotFoundError, BankNotSupportedError, BankRateLimitedError,
  BankRejectedError, BankSignatureRefusedError, BankTransientError, BankUnauthorizedError, isBankError,
} from '../../connector/stet/errors/bank-error.js';
import { classifyBankResponse, isSignatureRefusal, isTokenRefusal, retryAfterMs } from '../../connector/stet/errors/classify-bank-response.js';
import { resourceIdFromLocation } from '../../connector/stet/location.js';
import { NWM_18919 } from '../../connector/profiles/index.js';

const nwm = NWM_18919.signals;

const raw = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status, headers, text: typeof body === 'string' ? body : JSON.stringify(body), requestId: 'rid-1', method: 'POST', path: '/payment-requests',
});

describe('bank: classifyBankResponse, specific cases first', () => {
  it('500 "duplicate unique key" is BankDuplicateError, before generic 5xx', () => {
    const e = classifyBankResponse(raw(500, { status: 500, message: 'Database insertion issue, duplicate unique key' }), nwm);
    expect(e).to.be.instanceOf(BankDuplicateError);
    expect(e.requestId).to.equal('rid-1');
  });
  it('other 5xx are BankTransientError', () => {
    expect(classifyBankResponse(raw(500, { status: 500, message: 'Internal server error' }), nwm)).to.be.instanceOf(BankTransientError);
    expect(classifyBankResponse(raw(503, ''), nwm)).to.be.instanceOf(BankTransientError);
  });
  it('400 "Invalid Token" is BankUnauthorizedError, not a rejection', () => {
    expect(classifyBankResponse(raw(400, { status: 400, message: 'Invalid Token' }), nwm)).to.be.instanceOf(BankUnauthorizedError);
  });
  it('401 and 403 are BankUnauthorizedError', () => {
    expect(classifyBankResponse(raw(401, ''), nwm)).to.be.instanceOf(BankUnauthorizedError);
    expect(classifyBankResponse(raw(403, ''), nwm)).to.be.instanceOf(BankUnauthorizedError);
  });
  it('NWM-22: only a refusal of the token itself asks for a renewal (400 "Invalid Token", 401 invalid_token)', () => {
    expect(isTokenRefusal(raw(400, { status: 400, message: 'Invalid Token' }), nwm)).to.equal(true);
    expect(isTokenRefusal(raw(401, '', { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="expired"' }), nwm)).to.equal(true);
    expect(isTokenRefusal(raw(401, { error: 'invalid_token' }), nwm)).to.equal(true);
    expect(isTokenRefusal(raw(401, ''), nwm)).to.equal(false); // says nothing about the token
    expect(isTokenRefusal(raw(401, { message: 'Signature does not verify' }), nwm)).to.equal(false);
    expect(isTokenRefusal(raw(403, { message: 'Invalid Token' }), nwm)).to.equal(false); // NWM's 403 is not replayed
    expect(isTokenRefusal(raw(400, { code: 'FF01', message: 'RJCT' }), nwm)).to.equal(false);
  });
  it('a 401/403 naming the Signature or the Digest is BankSignatureRefusedError, which names the QSealC', () => {
    const sig = classifyBankResponse(raw(403, { status: 403, message: 'Forbidden: authentication issue: Signature does not verify' }), nwm);
    expect(sig).to.be.instanceOf(BankSignatureRefusedError).and.to.be.instanceOf(BankUnauthorizedError);
    expect(sig.message).to.contain("The bank refused the request's signature on POST /payment-requests").and.contain('check the QSealC key and qsealKeyId');
    const viaHeader = raw(401, '', { 'WWW-Authenticate': 'Signature realm="psd2", error="invalid_signature"' });
    expect(isSignatureRefusal(viaHeader)).to.equal(true);
    const digest = classifyBankResponse(raw(403, { message: 'Forbidden: authentication issue: Digest does not match the body' }), nwm);
    expect(digest).to.be.instanceOf(BankSignatureRefusedError);
    expect(digest.message).to.contain("The bank refused the request's Digest");
    expect(isSignatureRefusal(raw(400, { code: 'FF01', message: 'RJCT', error: 'Digest' }))).to.equal(false);
    const bare = classifyBankResponse(raw(403, ''), nwm);
    expect(bare).to.not.be.instanceOf(BankSignatureRefusedError);
    expect(bare.message).to.contain("the access token, the QWAC certificate or the request's signature");
  });
  it('400 FF01 RJCT is BankRejectedError with the code, the field and the bank message', () => {
    const e = classifyBankResponse(raw(400, { status: 400, code: 'FF01', message: 'RJCT', error: 'value not one of declared Enum instance names: [SLEV]', details: [{ path: '$.chargeBearer' }] }), nwm);
    expect(e).to.be.instanceOf(BankRejectedError);
    expect(e).to.include({ status: 400, stetCode: 'FF01', field: '$.chargeBearer', bankMessage: 'RJCT / value not one of declared Enum instance names: [SLEV]' });
  });
  it('a field named only in the text ("the field X") is found', () => {
    const e = classifyBankResponse(raw(400, { message: 'RJCT', error: 'the field creditorAgent.bicFi bicFi-Code allocated' }), nwm);
    expect(e.field).to.equal('creditorAgent.bicFi');
  });
  it('429 and TMRQ are BankRateLimitedError with Retry-After in ms', () => {
    const e = classifyBankResponse(raw(429, { code: 'TMRQ' }, { 'Retry-After': '3' }), nwm) as BankRateLimitedError;
    expect(e).to.be.instanceOf(BankRateLimitedError);
    expect(e.retryAfterMs).to.equal(3000);
    expect(classifyBankResponse(raw(400, { code: 'TMRQ', message: 'TooManyRequest' }), nwm)).to.be.instanceOf(BankRateLimitedError);
  });
  it('404, 405 and 409 are NotFound, NotSupported and Conflict', () => {
    expect(classifyBankResponse(raw(404, ''), nwm)).to.be.instanceOf(BankNotFoundError);
    expect(classifyBankResponse(raw(405, ''), nwm)).to.be.instanceOf(BankNotSupportedError);
    expect(classifyBankResponse(raw(409, ''), nwm)).to.be.instanceOf(BankConflictError);
  });
  it('a non-JSON body is kept as the bank message, and isBankError recognises every class', () => {
    const e = classifyBankResponse(raw(502, '<html>Bad gateway</html>'), nwm);
    expect(e.bankMessage).to.equal('<html>Bad gateway</html>');
    expect(isBankError(e)).to.equal(true);
    expect(isBankError({ isBankError: true })).to.equal(true);
    expect(isBankError(new Error('x'))).to.equal(false);
    expect(e).to.be.instanceOf(BankError);
  });
  it('retryAfterMs reads seconds and HTTP dates', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    expect(retryAfterMs('2', now)).to.equal(2000);
    expect(retryAfterMs('Tue, 01 Jan 2030 00:00:05 GMT', now)).to.equal(5000);
    expect(retryAfterMs(undefined, now)).to.equal(undefined);
    expect(retryAfterMs('soon', now)).to.equal(undefined);
  });
});

describe('bank: the resource id from the 201 Location (one parser, client and worker adapter)', () => {
  it('is the last path segment, decoded; absolute or relative, trailing slash, query and fragment ignored', () => {
    const base = 'https://www.18919.oba-bad-me-live.api.89c3.com/stet/psd2/v1.6.2/payment-requests/';
    expect(resourceIdFromLocation(`${base}PR-1%2F2%20x`)).to.equal('PR-1/2 x');
    expect(resourceIdFromLocation('/stet/psd2/v1.6.2/payment-requests/PR-9/')).to.equal('PR-9');
    expect(resourceIdFromLocation(`${base}PR-9?lang=fr#top`)).to.equal('PR-9');
    expect(resourceIdFromLocation(`${base}PR-%E0%A4%A`)).to.equal('PR-%E0%A4%A'); // malformed escape: kept as sent, never a throw
    expect(resourceIdFromLocation(undefined)).to.equal(undefined);
    expect(resourceIdFromLocation('https://bank.example/')).to.equal(undefined);
  });
});
