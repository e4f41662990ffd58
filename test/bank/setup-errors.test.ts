/**
 * Set-up mistakes read as what they are: each names the config key to fix and says it is not
 * temporary, never "the bank may or may not have it" nor "the next run will take the bills"; a bank
 * that cannot be reached says whether it refused or did not answer. Each message with its exact text.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import {
  BankSetupError,
  BankTransientError,
  BankUnreachableError,
  checkCredentials,
  classifyBankResponse,
  fallbackLinkFrom,
  classifyTransportFailure,
  SETUP_ERROR_NOTE,
  type TransportFailureInput,
} from '../../connector/stet/index.js';
import { NWM_18919 } from '../../connector/profiles/index.js';
import { BANK_SETTING_KEYS } from '../../plugin/app/open-bank.js';
import type { RunningBankSandbox } from '../../sandbox/bank/index.js';
import { classifySubmitError, mayHaveReachedBank } from '../../worker/classify-submit-error.js';
import { clientFor, startSandbox } from './harness.js';

const NOTE = 'A set-up error, not an outage: nothing was sent, and retrying will not help until it is fixed.';

/** The error a client with `o` throws, at construction or on its first call. */
async function failure(sb: RunningBankSandbox, o: Parameters<typeof clientFor>[1]): Promise<Error> {
  let client;
  try {
    client = clientFor(sb, { settingNames: BANK_SETTING_KEYS, connectTimeoutMs: 2000, ...o });
    await client.paymentRequests.retrieve('PR-anything');
  } catch (err) {
    return err as Error;
  } finally {
    client?.close();
  }
  throw new Error('expected a failure');
}

/** Neither outage wording nor run wording in a set-up error. */
function expectSetupWording(e: Error): void {
  expect(e.message).to.not.include('may or may not');
  expect(e.message).to.not.include('retry with the same ids');
  expect(e.message).to.not.include('next run');
  expect(e.message).to.not.include('..');
}

describe('bank: set-up errors name the setting and are not temporary; refused and timed out told apart', () => {
  let sb: RunningBankSandbox;
  const pem = (p: string) => readFileSync(p);
  before(async () => {
    sb = await startSandbox();
  });
  after(async () => {
    await sb.close();
  });

  it('SETUP-00 the note every set-up error ends with', () => {
    expect(SETUP_ERROR_NOTE).to.equal(NOTE);
  });

  it('SETUP-01 a key file given as the certificate names bank.qwacCert (not "PEM routines::no start line")', async () => {
    const e = await failure(sb, { qwacCert: pem(sb.certs.qwacKeyPath) });
    expect(e).to.be.instanceOf(BankSetupError);
    expect((e as BankSetupError).setting).to.equal('qwacCert');
    expect(e.message).to.equal(`bank.qwacCert holds a private key, not a certificate: give the QWAC certificate file (-----BEGIN CERTIFICATE-----). ${NOTE}`);
    expectSetupWording(e);
  });

  it('SETUP-02 a certificate given as the key names bank.qwacKey', async () => {
    const e = await failure(sb, { qwacKey: pem(sb.certs.qwacCertPath) });
    expect(e.message).to.equal(`bank.qwacKey holds a certificate, not a private key: give the QWAC private key file (-----BEGIN PRIVATE KEY-----). ${NOTE}`);
  });

  it('SETUP-03 a certificate and a key of two different pairs name both keys', async () => {
    const e = await failure(sb, { qwacKey: pem(sb.certs.qsealKeyPath) });
    expect((e as BankSetupError).setting).to.equal('qwacKey');
    expect(e.message).to.equal(`bank.qwacKey does not match the certificate in bank.qwacCert: they come from two different key pairs; give the key the QWAC was issued for. ${NOTE}`);
  });

  it('SETUP-04 a file that is no PEM at all, and a QSealC key that is a certificate', async () => {
    expect((await failure(sb, { qwacCert: Buffer.from('hello') })).message).to.equal(
      `bank.qwacCert is not a PEM certificate (no -----BEGIN CERTIFICATE----- line): give the QWAC certificate file (-----BEGIN CERTIFICATE-----). ${NOTE}`,
    );
    expect((await failure(sb, { qsealKey: pem(sb.certs.qsealCertPath) })).message).to.equal(
      `bank.qsealKey holds a certificate, not a private key: give the QSealC private key file (-----BEGIN PRIVATE KEY-----). ${NOTE}`,
    );
  });

  it('SETUP-05 bank.ca holding a key, and a qsealKeyId without the fingerprint', async () => {
    expect((await failure(sb, { ca: pem(sb.certs.qwacKeyPath) })).message).to.equal(
      `bank.ca holds no certificate (it holds a private key): give the file of the CA that signed the bank's server certificate (-----BEGIN CERTIFICATE-----). ${NOTE}`,
    );
    expect((await failure(sb, { qsealKeyId: 'https://certs.example.com/qseal.pem' })).message).to.equal(
      `bank.qsealKeyId must be the URL of the QSealC certificate ending in _ + its SHA-256 fingerprint (64 lowercase hex), e.g. https://example.com/qseal_612b…e.pem. ${NOTE}`,
    );
  });

  it('SETUP-06 no bank.ca for a bank with a private CA: SELF_SIGNED_CERT_IN_CHAIN names bank.ca, not an outage', async () => {
    const e = await failure(sb, { ca: undefined });
    const host = new URL(sb.tokenUrl).host;
    expect(e).to.be.instanceOf(BankSetupError);
    expect((e as BankSetupError).setting).to.equal('ca');
    expect(e.message).to.equal(`POST /stet/psd2/oauth/token: stetpay does not trust the bank's server certificate at ${host} (SELF_SIGNED_CERT_IN_CHAIN); set bank.ca to the file of the CA that signed it. ${NOTE}`);
    expectSetupWording(e);
    // the worker keeps the payment queued for the operator: never a retry that cannot help, never needs_review
    expect(classifySubmitError(e)).to.equal('credentials');
    expect(mayHaveReachedBank(e)).to.equal(false);
  });

  it('SETUP-07 a bank.ca that did not sign the bank\'s certificate', async () => {
    const e = await failure(sb, { ca: pem(sb.certs.qwacCertPath) });
    expect(e.message).to.equal(`POST /stet/psd2/oauth/token: the bank's server certificate at ${new URL(sb.tokenUrl).host} is not signed by the CA in bank.ca (SELF_SIGNED_CERT_IN_CHAIN); give the file of the CA that signed it. ${NOTE}`);
  });

  it('SETUP-08 a URL whose host the certificate is not for (TLS verification) names the URL key', async () => {
    const other = await startSandbox({ host: '127.0.0.2' }); // its certificate is for localhost and 127.0.0.1 only
    try {
      const e = await failure(other, {});
      expect((e as BankSetupError).setting).to.equal('tokenUrl');
      expect(e.message).to.equal(`POST /stet/psd2/oauth/token: the bank's server certificate is not issued for 127.0.0.2 (ERR_TLS_CERT_ALTNAME_INVALID); check the host in bank.tokenUrl. ${NOTE}`);
    } finally {
      await other.close();
    }
  });

  it('SETUP-09 nothing listens: refused at once, named as unreachable (nothing sent), told apart from a time-out', async () => {
    const e = await failure(sb, { baseUrl: 'https://127.0.0.1:1/stet/psd2/v1.6.2', tokenUrl: 'https://127.0.0.1:1/stet/psd2/oauth/token' });
    expect(e).to.be.instanceOf(BankUnreachableError);
    expect((e as BankUnreachableError).reason).to.equal('refused');
    expect(e.message).to.equal("POST /stet/psd2/oauth/token: 127.0.0.1:1 refused the connection (ECONNREFUSED): nothing was sent. The bank's API is down, or bank.tokenUrl names the wrong port; try again later.");
    expect(mayHaveReachedBank(e)).to.equal(false);
  });

  it('SETUP-15 what else a certificate or key file can hold: another PEM, a broken certificate, an encrypted key, a certificate expired or not yet valid', () => {
    const name = (x: keyof typeof BANK_SETTING_KEYS) => BANK_SETTING_KEYS[x];
    const ok = { qwacCert: pem(sb.certs.qwacCertPath), qwacKey: pem(sb.certs.qwacKeyPath), qsealKey: pem(sb.certs.qsealKeyPath), qsealKeyId: sb.certs.qsealKeyId, ca: pem(sb.certs.caCertPath) };
    const problems = (o: Partial<Record<'qwacCert' | 'qsealKey', string | Buffer>>, now?: Date) => checkCredentials({ ...ok, ...o }, name, now).map((p) => `${p.setting}: ${p.problem}`);
    expect(problems({})).to.deep.equal([]);
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(problems({ qwacCert: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string })).to.deep.equal([
      'qwacCert: bank.qwacCert holds a PUBLIC KEY, not a certificate: give the QWAC certificate file (-----BEGIN CERTIFICATE-----)',
    ]);
    expect(problems({ qwacCert: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' })).to.deep.equal([
      'qwacCert: bank.qwacCert is not a readable certificate (error:068000A8:asn1 encoding routines::wrong tag): give the QWAC certificate file',
    ]);
    const encrypted = pair.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string;
    expect(problems({ qsealKey: encrypted })).to.deep.equal([
      "qsealKey: bank.qsealKey is encrypted with a passphrase: give the QSealC private key unencrypted (openssl pkey -in KEY -out KEY.plain), readable only by stetpay's user",
    ]);
    const cert = new X509Certificate(ok.qwacCert);
    expect(problems({}, new Date('2100-01-01T00:00:00Z'))).to.include(
      `qwacCert: bank.qwacCert expired on ${new Date(cert.validTo).toISOString().slice(0, 10)}: the bank refuses it; renew the QWAC certificate and register the new one with the bank`,
    );
    expect(problems({}, new Date('2000-01-01T00:00:00Z'))).to.include(`qwacCert: bank.qwacCert is not valid before ${new Date(cert.validFrom).toISOString().slice(0, 10)}: check this machine's clock`);
  });

  it("SETUP-16 a fallback answer that is a redirect without the link is an error, not a link", () => {
    const o = { requestId: 'req-9', path: '/stet/psd2/oauth/token', clientId: 'PSDFR-ACPR-12345', signals: NWM_18919.signals };
    for (const location of [undefined, 'https://bank.example/se-connecter/sso?service=dei', 'http://bank.example/sso?fallback=abc']) {
      expect(() => fallbackLinkFrom({ status: 302, headers: location ? { location } : {}, text: '' }, o)).to.throw(
        'The bank answered POST /stet/psd2/oauth/token (fallback: 1) with 302 but no https Location carrying a fallback= token; log in to online banking directly (X-Request-ID req-9).',
      );
    }
    const jwt = `x.${Buffer.from(JSON.stringify({ exp: 1_900_000_000 })).toString('base64url')}.y`;
    expect(fallbackLinkFrom({ status: 302, headers: { location: `https://bank.example/sso?cdetab=18919&fallback=${jwt}` }, text: '' }, o)).to.deep.equal({
      url: `https://bank.example/sso?cdetab=18919&fallback=${jwt}`, expiresAt: new Date(1_900_000_000_000), requestId: 'req-9',
    });
  });

  describe('the classifier, for what a loopback test cannot provoke', () => {
    const base: TransportFailureInput = {
      kind: 'network', message: '', method: 'POST', path: '/payment-requests', url: new URL('https://api.bank.example:8443/stet/psd2/v1.6.2/payment-requests'),
      isToken: false, caGiven: true, connectTimeoutMs: 5000, requestId: 'req-1', name: (s) => BANK_SETTING_KEYS[s],
    };
    const withCode = (code: string, over: Partial<TransportFailureInput> = {}) => classifyTransportFailure({ ...base, cause: Object.assign(new Error(code), { code }), ...over });

    it('SETUP-10 DNS: no such host names the URL key; a name server failing for now is unreachable, not set-up', () => {
      const e = withCode('ENOTFOUND');
      expect(e).to.be.instanceOf(BankSetupError);
      expect(e.message).to.equal(`POST /payment-requests: no host named api.bank.example (ENOTFOUND); check the host in bank.apiBaseUrl. ${NOTE}`);
      const again = withCode('EAI_AGAIN');
      expect(again).to.be.instanceOf(BankUnreachableError);
      expect(again.message).to.equal('POST /payment-requests: the name server could not look api.bank.example up for now (EAI_AGAIN): nothing was sent. The name server is failing; try again later.');
    });

    it('SETUP-11 the bank refusing the QWAC in the TLS handshake names bank.qwacCert; OpenSSL refusing the QWAC or its key names them', () => {
      expect(withCode('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA').message).to.equal(
        `POST /payment-requests: the bank refused the QWAC certificate during the TLS handshake (ERR_SSL_TLSV1_ALERT_UNKNOWN_CA); check that bank.qwacCert is the certificate registered with the bank, with its key in bank.qwacKey. ${NOTE}`,
      );
      expect(withCode('ERR_OSSL_X509_KEY_VALUES_MISMATCH').message).to.equal(`POST /payment-requests: bank.qwacKey does not match the certificate in bank.qwacCert (ERR_OSSL_X509_KEY_VALUES_MISMATCH). ${NOTE}`);
      expect(withCode('ERR_OSSL_PEM_NO_START_LINE').message).to.equal(`POST /payment-requests: the QWAC certificate or key cannot be used (ERR_OSSL_PEM_NO_START_LINE); check bank.qwacCert and bank.qwacKey. ${NOTE}`);
    });

    it('SETUP-12 an expired server certificate, and one not valid yet (this machine\'s clock)', () => {
      expect(withCode('CERT_HAS_EXPIRED').message).to.equal(`POST /payment-requests: the server certificate at api.bank.example:8443 has expired (CERT_HAS_EXPIRED); check that bank.apiBaseUrl names the bank, and this machine's clock. ${NOTE}`);
      expect(withCode('CERT_NOT_YET_VALID').message).to.equal(`POST /payment-requests: the server certificate at api.bank.example:8443 is not valid yet (CERT_NOT_YET_VALID); check this machine's clock. ${NOTE}`);
    });

    it('SETUP-13 no route, and a connect time-out: unreachable, nothing sent', () => {
      expect(withCode('EHOSTUNREACH').message).to.equal('POST /payment-requests: no route to api.bank.example:8443 (EHOSTUNREACH): nothing was sent. The bank or the network is down; try again later.');
      const t = classifyTransportFailure({ ...base, kind: 'connect-timeout', message: 'could not connect within 5000 ms' });
      expect(t).to.be.instanceOf(BankUnreachableError);
      expect(t.message).to.equal('POST /payment-requests: no connection to api.bank.example:8443 within 5000 ms: nothing was sent. The bank or the network is down; try again later.');
    });

    it('SETUP-14 after sending, a POST may have reached the bank (same ids); a GET or the token only tries again', () => {
      const post = classifyTransportFailure({ ...base, kind: 'response-timeout', message: 'no complete answer within 30000 ms' });
      expect(post).to.be.instanceOf(BankTransientError).and.not.instanceOf(BankUnreachableError);
      expect(post.message).to.equal('POST /payment-requests: no complete answer within 30000 ms; the bank may or may not have it: retry with the same ids (X-Request-ID req-1).');
      const get = classifyTransportFailure({ ...base, method: 'GET', path: '/payment-requests/PR-1', kind: 'network', message: 'ECONNRESET: socket hang up', cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
      expect(get.message).to.equal('GET /payment-requests/PR-1: ECONNRESET: socket hang up; try again later (X-Request-ID req-1).');
      expect(classifyBankResponse({ status: 503, headers: {}, text: '', method: 'GET', path: '/payment-requests/PR-1', requestId: 'req-2' }, NWM_18919.signals).message).to.equal(
        'The bank failed on GET /payment-requests/PR-1 (503); try again later (X-Request-ID req-2).',
      );
      expect(classifyBankResponse({ status: 503, headers: {}, text: '', method: 'POST', path: '/payment-requests', requestId: 'req-3' }, NWM_18919.signals).message).to.equal(
        'The bank failed on POST /payment-requests (503); it may or may not have the payment: retry with the same ids (X-Request-ID req-3).',
      );
    });
  });
});
