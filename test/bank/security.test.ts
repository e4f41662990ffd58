import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BankUnauthorizedError } from '../../connector/stet/errors/bank-error.js';
import { digestHeader, signatureHeader } from '../../connector/stet/http-signature.js';
import { makeTestCertificates, type RunningBankSandbox } from '../../sandbox/bank/index.js';
import { paymentRequest } from './fixtures.js';
import { clientFor, handCredentials, rawHttps, signedPost, startSandbox, type HandCredentials, type SignedPostOptions } from './harness.js';

describe('bank: mutual TLS, Digest and HTTP Signature', () => {
  let sb: RunningBankSandbox;
  let creds: HandCredentials;
  before(async () => {
    sb = await startSandbox();
    creds = await handCredentials(sb);
  });
  after(async () => {
    await sb.close();
  });

  const post = (body: string, o: SignedPostOptions = {}) => signedPost(sb, creds, body, o);
  /** The guide's "Bad access token, authentication issue" row: 403, here with the failed check named. */
  const refusedAs = (r: { status: number; text: string }, error: string, check: string) => {
    expect(r.status).to.equal(403);
    const body = JSON.parse(r.text) as Record<string, unknown>;
    expect(body).to.include({ status: 403, error, message: `Forbidden: authentication issue: ${check}` });
  };

  it('the token endpoint answers client credentials with a Bearer token of the NWM-22 lifetime (180 days)', async () => {
    const r = await rawHttps(sb.tokenUrl, {
      method: 'POST', cert: creds.cert, key: creds.key, ca: creds.ca, headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${sb.certs.organisationId}&scope=pisp`,
    });
    expect(r.status).to.equal(200);
    expect(JSON.parse(r.text)).to.include({ token_type: 'Bearer', scope: 'pisp', expires_in: 180 * 24 * 3600 });
  });

  it('a correctly signed hand-made request is accepted (the sandbox checks independently of the client)', async () => {
    const r = await post(JSON.stringify(paymentRequest({ now: sb.now() })));
    expect(r.status).to.equal(201);
    expect(r.headers['content-type']).to.equal('application/hal+json; charset=utf-8');
  });

  it('a tampered body (Digest no longer matches) is refused with 403 (an authentication issue, as the guide says) and nothing is recorded', async () => {
    const body = paymentRequest({ now: sb.now() });
    const tampered = structuredClone(body);
    tampered.creditTransferTransaction[0]!.instructedAmount.amount = 9999.99;
    const r = await post(JSON.stringify(body), { sendBody: JSON.stringify(tampered) });
    refusedAs(r, 'invalid_digest', 'Digest does not match the body');
    expect(sb.payments().some((p) => p.paymentInformationId === body.paymentInformationId)).to.equal(false);
  });

  it('a tampered signature (Digest recomputed for the new body, signature left) is refused with 403', async () => {
    const body = JSON.stringify(paymentRequest({ now: sb.now() }));
    const other = JSON.stringify(paymentRequest({ now: sb.now(), amount: 1 }));
    const target = new URL(sb.apiBaseUrl + '/payment-requests').pathname;
    const headers: Record<string, string> = { authorization: `Bearer ${creds.token}`, 'x-request-id': 'r1', date: new Date().toUTCString(), digest: digestHeader(body), 'content-type': 'application/json' };
    headers.signature = signatureHeader({ method: 'POST', target, headers, headerNames: ['(request-target)', 'digest', 'x-request-id'], key: creds.qsealKey, keyId: sb.certs.qsealKeyId });
    headers.digest = digestHeader(other);
    const r = await rawHttps(sb.apiBaseUrl + '/payment-requests', { method: 'POST', headers, body: other, cert: creds.cert, key: creds.key, ca: creds.ca });
    refusedAs(r, 'invalid_signature', 'Signature does not verify with the QSealC certificate');
  });

  it('a signature made with another key than the QSealC named by keyId is refused with 403', async () => {
    const r = await post(JSON.stringify(paymentRequest({ now: sb.now() })), { signKey: creds.key });
    refusedAs(r, 'invalid_signature', 'Signature does not verify with the QSealC certificate');
  });

  it('a keyId whose fingerprint names no known QSealC is refused with 403', async () => {
    const r = await post(JSON.stringify(paymentRequest({ now: sb.now() })), { keyId: `https://certs.example.test/qseal_${'0'.repeat(64)}.pem` });
    refusedAs(r, 'invalid_signature', 'Signature keyId does not name a known QSealC certificate');
  });

  it('a signature that does not cover x-request-id is refused with 403', async () => {
    const r = await post(JSON.stringify(paymentRequest({ now: sb.now() })), { headerNames: ['(request-target)', 'digest'] });
    refusedAs(r, 'invalid_signature', 'Signature must cover x-request-id');
  });

  it('the client signs (request-target) date digest x-request-id, and content-type and content-length when it sends a body (the STET signature rules)', async () => {
    // The sandbox, like the framework, only demands the first three: this checks the rest on the client's side.
    const client = clientFor(sb);
    try {
      const created = await client.paymentRequests.create(paymentRequest({ now: sb.now() }));
      const read = await client.paymentRequests.retrieve(created.meta.resourceId as string);
      const signed = (requestId: string) => sb.requests().find((r) => r.requestId === requestId)?.signedHeaders;
      expect(signed(created.meta.requestId)).to.deep.equal(['(request-target)', 'date', 'digest', 'x-request-id', 'content-type', 'content-length']);
      expect(signed(read.meta.requestId)).to.deep.equal(['(request-target)', 'date', 'digest', 'x-request-id']);
    } finally {
      client.close();
    }
  });

  it('an API call without a client certificate is refused with 403', async () => {
    const r = await rawHttps(sb.apiBaseUrl + '/payment-requests/PR-x', { headers: { authorization: `Bearer ${creds.token}` }, ca: creds.ca });
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
    expect(new X509Certificate(creds.cert).subject).to.contain('organizationIdentifier=PSDFR-ACPR-12345');
    expect(new X509Certificate(readFileSync(sb.certs.serverCertPath)).subjectAltName).to.contain('IP Address:127.0.0.1');
  });
});
