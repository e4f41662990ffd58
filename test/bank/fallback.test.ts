/**
 * The fallback of NWM's guide ("Using the fallback"): a token request with the header `fallback: 1`
 * and the QWAC, answered `302 Found` with a `Location` into online banking carrying a `fallback=` JWT.
 * The sandbox side is checked with hand-made requests (the guide's own example), the client side
 * through StetClient.fallbackLink and the plugin's bankApiStatus.
 */
import { X509Certificate, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { NWM_18919, STET_1_6 } from '../../connector/profiles/index.js';
import { BankNotSupportedError, BankUnauthorizedError } from '../../connector/stet/errors/bank-error.js';
import { fallbackFor } from '../../plugin/app/bank-status.js';
import { makeTestCertificates, type RunningBankSandbox } from '../../sandbox/bank/index.js';
import { adminJson, CERTS_DIR, clientFor, rawHttps, sandboxPerSuite, startSandbox, tokenRequests } from './harness.js';

/** The guide's example request, word for word (its client_id, its scope `aisp`), over mutual TLS with the QWAC. */
function guideFallbackRequest(sb: RunningBankSandbox, o: { fallbackHeader?: boolean; body?: string; cert?: Buffer; key?: Buffer } = {}) {
  const c = sb.certs;
  const body = o.body ?? 'client_id=PSDFR-ACPR-12345&grant_type=client_credentials&scope=aisp';
  return rawHttps(sb.tokenUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded', 'X-Request-ID': '1234', ...(o.fallbackHeader === false ? {} : { fallback: '1' }),
      'User-Agent': 'PostmanRuntime/7.16.3', Accept: '*/*', 'Cache-Control': 'no-cache', 'Content-Length': String(Buffer.byteLength(body)),
    },
    body,
    cert: o.cert ?? readFileSync(c.qwacCertPath),
    key: o.key ?? readFileSync(c.qwacKeyPath),
    ca: readFileSync(c.caCertPath),
  });
}

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('bank: the fallback into online banking (NWM guide, "Using the fallback")', () => {
  let sb: RunningBankSandbox;
  sandboxPerSuite((s) => { sb = s; });

  it('FALLBACK-01 the guide\'s request gets the guide\'s answer: 302 Found, Location into online banking with a fallback= JWT signed by the bank, connection closed', async () => {
    const r = await guideFallbackRequest(sb);
    expect(r.status).to.equal(302);
    expect(r.headers['content-type']).to.equal('text/html; charset=iso-8859-1');
    expect(r.headers.connection).to.equal('close');
    expect(r.headers['x-request-id']).to.equal('1234');
    expect(r.headers.date).to.equal(new Date(r.headers.date as string).toUTCString());
    const location = new URL(r.headers.location as string);
    expect(`${location.origin}${location.pathname}`).to.equal(new URL(sb.tokenUrl).origin + '/se-connecter/sso');
    expect([...location.searchParams.keys()]).to.deep.equal(['service', 'cdetab', 'fallback']);
    expect(location.searchParams.get('service')).to.equal('dei');
    expect(location.searchParams.get('cdetab')).to.equal('18919');
    expect(r.text).to.include('<h1>Found</h1>').and.include('<p>The document has moved <a href="');

    const [header, payload, signature] = location.searchParams.get('fallback')!.split('.') as [string, string, string];
    const cert = new X509Certificate(readFileSync(sb.certs.serverCertPath));
    expect(decode(header)).to.deep.equal({ typ: 'JWT', alg: 'RS256', x5t: Buffer.from(cert.fingerprint.replace(/:/g, ''), 'hex').toString('base64url') });
    const claims = decode(payload);
    expect(claims).to.include({ sub: 'PSDFR-ACPR-12345', aud: 'online-banking', cdetab: '18919', scope: 'aisp', iss: new URL(sb.tokenUrl).origin });
    expect(Number(claims.exp) - Number(claims.iat)).to.equal(300);
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), cert.publicKey, Buffer.from(signature, 'base64url'))).to.equal(true);

    // a fallback request is not a token request: no access token was issued, and the log says which it was
    const [entry] = sb.requests();
    expect(entry).to.include({ method: 'POST', path: '/stet/psd2/oauth/token', status: 302, requestId: '1234', fallback: true });
  });

  it('FALLBACK-02 the fallback checks the TPP as the token endpoint does: no client certificate or one the bank does not trust 401, another client_id 401, a bad scope 400', async () => {
    const other = await makeTestCertificates(join(CERTS_DIR, '..', 'stetpay-test-other-ca-certs'));
    const cases: [string, Promise<{ status: number; text: string }>, number, string][] = [
      ['a QWAC of another CA', guideFallbackRequest(sb, { cert: readFileSync(other.qwacCertPath), key: readFileSync(other.qwacKeyPath) }), 401, 'a client certificate issued by a trusted CA is required (mutual TLS with the QWAC)'],
      ['the server certificate as QWAC', guideFallbackRequest(sb, { cert: readFileSync(sb.certs.serverCertPath), key: readFileSync(sb.certs.serverKeyPath) }), 401, 'a client certificate issued by a trusted CA is required (mutual TLS with the QWAC)'],
      ['another client_id', guideFallbackRequest(sb, { body: 'client_id=PSDFR-ACPR-99999&grant_type=client_credentials&scope=aisp' }), 401, 'client_id must equal the organisation identifier of the client certificate'],
      ['scope foo', guideFallbackRequest(sb, { body: 'client_id=PSDFR-ACPR-12345&grant_type=client_credentials&scope=foo' }), 400, 'scope must be aisp or pisp'],
    ];
    for (const [what, p, status, description] of cases) {
      const r = await p;
      expect(r.status, what).to.equal(status);
      expect(JSON.parse(r.text).error_description, what).to.equal(description);
    }
    const plain = await rawHttps(sb.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', fallback: '1' }, body: 'client_id=PSDFR-ACPR-12345&grant_type=client_credentials&scope=aisp', ca: readFileSync(sb.certs.caCertPath) });
    expect(plain.status).to.equal(401);
    expect(sb.requests().every((e) => e.fallback === true)).to.equal(true);
  });

  it('FALLBACK-03 without the header the same request is a plain token request (scope aisp refused: a PISP token needs pisp)', async () => {
    const r = await guideFallbackRequest(sb, { fallbackHeader: false });
    expect(r.status).to.equal(400);
    expect(JSON.parse(r.text)).to.deep.equal({ error: 'invalid_scope', error_description: 'scope must be pisp' });
    expect(sb.requests()[0]!.fallback).to.equal(undefined);
  });

  it('FALLBACK-04 during an outage the token and the API answer 503 while the fallback still answers (it is always active); its link opens online banking until it expires', async () => {
    const set = await adminJson(sb, 'POST', '/admin/faults', { outage: true });
    expect(set.json.outage).to.equal(true);
    const client = clientFor(sb);
    try {
      const down = await client.paymentRequests.retrieve('PR-1').then(() => undefined, (e: unknown) => e as Error);
      expect(down?.message).to.match(/^The bank's token endpoint failed \(503: Service Unavailable: the API gateway is down\); try again later \(X-Request-ID [0-9a-f-]{36}\)\.$/);

      const link = await client.fallbackLink();
      const url = new URL(link.url);
      const claims = decode(url.searchParams.get('fallback')!.split('.')[1]!);
      expect(claims).to.include({ sub: 'PSDFR-ACPR-12345', scope: 'pisp' });
      expect(link.expiresAt?.getTime()).to.equal(Number(claims.exp) * 1000);
      expect(link.requestId).to.match(/^[0-9a-f-]{36}$/);
      expect(sb.requests().map((e) => [e.status, e.fallback ?? false])).to.deep.equal([[503, false], [302, true]]);

      const ca = readFileSync(sb.certs.caCertPath);
      const page = await rawHttps(link.url, { ca });
      expect(page.status).to.equal(200);
      expect(page.text).to.include('Online banking (sandbox)').and.include('Fallback access for PSDFR-ACPR-12345, establishment 18919.');
      // another client's name in the claims, the bank's signature kept
      const [h, p, sig] = url.searchParams.get('fallback')!.split('.') as [string, string, string];
      const forged = Buffer.from(JSON.stringify({ ...decode(p), sub: 'PSDFR-ACPR-66666' })).toString('base64url');
      url.searchParams.set('fallback', `${h}.${forged}.${sig}`);
      const tampered = await rawHttps(url.href, { ca });
      expect(tampered.status).to.equal(403);
      expect(tampered.text).to.include('the fallback token is not signed by this bank');
      sb.advanceClock(301_000);
      const expired = await rawHttps(link.url, { ca });
      expect(expired.status).to.equal(403);
      expect(expired.text).to.include('the fallback link has expired: ask stetpay for a new one');
    } finally {
      client.close();
    }
  });

  it('FALLBACK-05 a QWAC the bank refuses: BankUnauthorizedError naming client_id, and no token request is made', async () => {
    const client = clientFor(sb, { clientId: 'PSDFR-ACPR-99999' });
    try {
      const e = await client.fallbackLink().then(() => undefined, (err: unknown) => err as BankUnauthorizedError);
      expect(e).to.be.instanceOf(BankUnauthorizedError);
      expect(e!.message).to.match(
        /^The bank's fallback refused client_id PSDFR-ACPR-99999 with this QWAC certificate \(401: invalid_client \/ client_id must equal the organisation identifier of the client certificate\); log in to online banking directly, and check the QWAC and client_id \(X-Request-ID [0-9a-f-]{36}\)\.$/,
      );
      expect(tokenRequests(sb)).to.equal(1); // the fallback request itself, on the token path
      expect(sb.requests()[0]!.fallback).to.equal(true);
    } finally {
      client.close();
    }
  });

  it('FALLBACK-06 the profile says whether to ask: NWM has the token redirect, a generic STET bank none (nothing asked); a bank that answers with a token has no fallback there', async () => {
    expect(NWM_18919.apiFallback).to.equal('token-redirect');
    expect(STET_1_6.apiFallback).to.equal('none');
    const client = clientFor(sb);
    try {
      expect(await fallbackFor(client, STET_1_6)).to.deep.equal({ kind: 'none' });
      expect(sb.requests()).to.deep.equal([]);
      const got = await fallbackFor(client, NWM_18919);
      expect(got.kind).to.equal('link');
    } finally {
      client.close();
    }
    const generic = await startSandbox({ profile: 'stet-1.6' });
    const c2 = clientFor(generic);
    try {
      const e = await c2.fallbackLink().then(() => undefined, (err: unknown) => err as Error);
      expect(e).to.be.instanceOf(BankNotSupportedError);
      expect(e!.message).to.match(/^The bank answered POST \/stet\/psd2\/oauth\/token \(fallback: 1\) as a plain token request \(200\): it offers no fallback link at this endpoint; log in to online banking directly \(X-Request-ID [0-9a-f-]{36}\)\.$/);
    } finally {
      c2.close();
      await generic.close();
    }
  });
});
