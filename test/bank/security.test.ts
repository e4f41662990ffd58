import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BankUnauthorizedError } from '../../connector/stet/errors/bank-error.js';
import { digestHeader, signatureHeader } from '../../connector/stet/http-signature.js';
import { makeTestCertificates, type RunningBankSandbox } from '../../sandbox/bank/index.js';
import { paymentRequest } from './fixtures.js';
import { clientFor, rawHttps, startSandbox } from './harness.js';

describe('bank: mutual TLS, Digest and HTTP Signature', () => {
  let sb: RunningBankSandbox;
  let token: string;
  let ca: Buffer, cert: Buffer, key: Buffer, qsealKey: Buffer;
  before(async () => {
    sb = await startSandbox();
    ca = readFileSync(sb.certs.caCertPath);
    cert = readFileSync(sb.certs.qwacCertPath);
    key = readFileSync(sb.certs.qwacKeyPath);
    qsealKey = readFileSync(sb.certs.qsealKeyPath);
    const r = await rawHttps(sb.tokenUrl, {
      method: 'POST', cert, key, ca, headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${sb.certs.organisationId}&scope=pisp`,
    });
    expect(r.status).to.equal(200);
    const t = JSON.parse(r.text) as { access_token: string; token_type: string; expires_in: number; scope: string };
    expect(t).to.include({ token_type: 'Bearer', scope: 'pisp', expires_in: 180 * 24 * 3600 });
    token = t.access_token;
  });
  after(async () => {
    await sb.close();
  });

  /** A hand-made signed POST; `tamper` changes what is sent after signing. */
  async function signedPost(body: string, o: { sendBody?: string; signKey?: Buffer; headerNames?: string[]; keyId?: string } = {}) {
    const target = new URL(sb.apiBaseUrl + '/payment-requests').pathname;
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`, 'x-request-id': 'req-' + Math.random().toString(16).slice(2), date: new Date().toUTCString(),
      digest: digestHeader(body), 'content-type': 'application/json',
    };
    headers.signature = signatureHeader({ method: 'POST', target, headers, headerNames: o.headerNames ?? ['(request-target)', 'date', 'digest', 'x-request-id', 'content-type'],
      key: o.signKey ?? qsealKey, keyId: o.keyId ?? sb.certs.qsealKeyId });
    return rawHttps(sb.apiBaseUrl + '/payment-requests', { method: 'POST', headers, body: o.sendBody ?? body, cert, key, ca });
  }

  it('a correctly signed hand-made request is accepted (the sandbox checks independently of the client)', async () => {
    const r = await signedPost(JSON.stringify(paymentRequest({ now: sb.now() })));
    expect(r.status).to.equal(201);
    expect(r.headers['content-type']).to.equal('application/hal+json; charset=utf-8');
  });

  it('a tampered body (Digest no longer matches) is refused with 401 and nothing is recorded', async () => {
    const body = paymentRequest({ now: sb.now() });
    const tampered = structuredClone(body);
    tampered.creditTransferTransaction[0]!.instructedAmount.amount = 9999.99;
    const r = await signedPost(JSON.stringify(body), { sendBody: JSON.stringify(tampered) });
    expect(r.status).to.equal(401);
    expect(JSON.parse(r.text).message).to.contain('Digest does not match');
    expect(sb.payments().some((p) => p.paymentInformationId === body.paymentInformationId)).to.equal(false);
  });

  it('a tampered signature (Digest recomputed for the new body, signature left) is refused with 401', async () => {
    const body = JSON.stringify(paymentRequest({ now: sb.now() }));
    const other = JSON.stringify(paymentRequest({ now: sb.now(), amount: 1 }));
    const target = new URL(sb.apiBaseUrl + '/payment-requests').pathname;
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'x-request-id': 'r1', date: new Date().toUTCString(), digest: digestHeader(body), 'content-type': 'application/json' };
    headers.signature = signatureHeader({ method: 'POST', target, headers, headerNames: ['(request-target)', 'digest', 'x-request-id'], key: qsealKey, keyId: sb.certs.qsealKeyId });
    headers.digest = digestHeader(other);
    const r = await rawHttps(sb.apiBaseUrl + '/payment-requests', { method: 'POST', headers, body: other, cert, key, ca });
    expect(r.status).to.equal(401);
    expect(JSON.parse(r.text).message).to.contain('Signature does not verify');
  });

  it('a signature made with another key than the QSealC named by keyId is refused with 401', async () => {
    const r = await signedPost(JSON.stringify(paymentRequest({ now: sb.now() })), { signKey: key });
    expect(r.status).to.equal(401);
  });

  it('a keyId whose fingerprint names no known QSealC is refused with 401', async () => {
    const r = await signedPost(JSON.stringify(paymentRequest({ now: sb.now() })), { keyId: `https://certs.example.test/qseal_${'0'.repeat(64)}.pem` });
    expect(r.status).to.equal(401);
    expect(JSON.parse(r.text).message).to.contain('keyId');
  });

  it('a signature that does not cover x-request-id is refused with 401', async () => {
    const r = await signedPost(JSON.stringify(paymentRequest({ now: sb.now() })), { headerNames: ['(request-target)', 'digest'] });
    expect(r.status).to.equal(401);
    expect(JSON.parse(r.text).message).to.contain('x-request-id');
  });

  it('an API call without a client certificate is refused with 403', async () => {
    const r = await rawHttps(sb.apiBaseUrl + '/payment-requests/PR-x', { headers: { authorization: `Bearer ${token}` }, ca });
    expect(r.status).to.equal(403);
  });

  it('a client certificate from another CA is refused at the token endpoint: BankUnauthorizedError', async () => {
    const foreign = await makeTestCertificates(join(tmpdir(), 'stetpay-test-bank-foreign-certs'));
    const client = clientFor(sb, { qwacCert: readFileSync(foreign.qwacCertPath), qwacKey: readFileSync(foreign.qwacKeyPath) });
    try {
      const e = await client.paymentRequests.create(paymentRequest({ now: sb.now() })).then(() => undefined, (err: unknown) => err);
      expect(e).to.be.instanceOf(BankUnauthorizedError);
      expect((e as BankUnauthorizedError).status).to.equal(401);
    } finally {
      client.close();
    }
  });

  it('the test certificates carry the organisation identifier and a _<sha-256> keyId', () => {
    expect(sb.certs.qsealKeyId).to.match(/^https:\/\/certs\.stetpay\.test\/qseal_[0-9a-f]{64}\.pem$/);
    expect(new X509Certificate(cert).subject).to.contain('organizationIdentifier=PSDFR-ACPR-12345');
    expect(new X509Certificate(readFileSync(sb.certs.serverCertPath)).subjectAltName).to.contain('IP Address:127.0.0.1');
  });
});
