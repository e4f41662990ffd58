import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { BankSignatureRefusedError, BankUnauthorizedError } from '../../connector/stet/errors/bank-error.js';
import { TokenProvider } from '../../connector/stet/token-provider.js';
import type { StetClient } from '../../connector/stet/stet-client.js';
import type { RunningBankSandbox } from '../../sandbox/bank/index.js';
import { paymentRequest } from './fixtures.js';
import { clientFor, sandboxPerSuite, startSandbox, tokenRequests } from './harness.js';

describe('bank: OAuth2 client credentials over mTLS (NWM-22)', () => {
  let sb: RunningBankSandbox;
  sandboxPerSuite((s) => { sb = s; }, { tokenLifetimeSeconds: 3600 });

  it('20 concurrent calls share exactly ONE token request', async () => {
    const client = clientFor(sb);
    try {
      const results = await Promise.all(Array.from({ length: 20 }, () => client.paymentRequests.create(paymentRequest({ now: sb.now() }))));
      expect(results.map((r) => r.meta.status)).to.deep.equal(Array(20).fill(201));
      expect(tokenRequests(sb)).to.equal(1);
    } finally {
      client.close();
    }
  });

  /** A POST refused for its token (`refusal`), exactly one token renewal, the same body replayed once and created once. */
  async function expectRenewedOnceAndReplayed(client: StetClient, refusal: number): Promise<void> {
    const body = paymentRequest({ now: sb.now() });
    const r = await client.paymentRequests.create(body);
    expect(r.meta.status).to.equal(201);
    expect(tokenRequests(sb)).to.equal(2);
    const posts = sb.requests().filter((e) => e.paymentInformationId === body.paymentInformationId);
    expect(posts.map((e) => e.status)).to.deep.equal([refusal, 201]);
    expect(posts[0]?.requestId).to.not.equal(posts[1]?.requestId); // a new X-Request-ID per try
    expect(sb.payments().filter((p) => p.paymentInformationId === body.paymentInformationId)).to.have.length(1);
  }

  it('NWM-22 renews the token once on 400 "Invalid Token" (an expired token) and replays the call', async () => {
    const client = clientFor(sb);
    try {
      await client.paymentRequests.create(paymentRequest({ now: sb.now() }));
      sb.advanceClock(2 * 3600 * 1000); // the client still believes its token valid: the bank does not
      await expectRenewedOnceAndReplayed(client, 400);
    } finally {
      client.close();
    }
  });

  it('renews the token once on 401 with WWW-Authenticate invalid_token (a revoked token) and replays the call', async () => {
    const client = clientFor(sb);
    try {
      await client.paymentRequests.retrieve('PR-warm-up').catch(() => undefined); // the token is fetched and cached
      sb.setFaults({ script: [401] }); // the sandbox revokes the token it sees and answers 401 invalid_token
      await expectRenewedOnceAndReplayed(client, 401);
    } finally {
      client.close();
    }
  });

  it('a wrong QSealC key is a signature refusal (403), not a token refusal: one POST, no token renewal, an error naming the QSealC', async () => {
    const client = clientFor(sb, { qsealKey: readFileSync(sb.certs.qwacKeyPath) }); // signs with a key the bank does not know for this keyId
    try {
      const body = paymentRequest({ now: sb.now() });
      const e = await client.paymentRequests.create(body).then(() => undefined, (err: unknown) => err);
      expect(e).to.be.instanceOf(BankSignatureRefusedError);
      expect(e).to.be.instanceOf(BankUnauthorizedError); // the worker stops on it as on any credentials problem
      const err = e as BankSignatureRefusedError;
      expect(err.status).to.equal(403);
      expect(err.message).to.contain("The bank refused the request's signature on POST /payment-requests")
        .and.contain('check the QSealC key and qsealKeyId').and.not.contain('renewed').and.not.match(/Bearer\s+\S/);
      expect(err.bankMessage).to.equal('Forbidden: authentication issue: Signature does not verify with the QSealC certificate / invalid_signature');
      const posts = sb.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/payment-requests'));
      expect(posts.map((r) => [r.paymentInformationId, r.status])).to.deep.equal([[body.paymentInformationId, 403]]);
      expect(tokenRequests(sb)).to.equal(1);
      // The token was not the problem: the next call keeps it.
      await client.paymentRequests.create(paymentRequest({ now: sb.now() })).catch(() => undefined);
      expect(tokenRequests(sb)).to.equal(1);
    } finally {
      client.close();
    }
  });

  it('a second refusal after the renewal is a BankUnauthorizedError naming the cause', async () => {
    const always = await startSandbox({ tokenLifetimeSeconds: 0 }); // every token is born expired
    const client = clientFor(always);
    try {
      const e = await client.paymentRequests.retrieve('PR-x').then(() => undefined, (err: unknown) => err);
      expect(e).to.be.instanceOf(BankUnauthorizedError);
      expect((e as BankUnauthorizedError).message).to.contain('Invalid Token').and.contain('renewed');
      expect(tokenRequests(always)).to.equal(2);
    } finally {
      client.close();
      await always.close();
    }
  });

  it('the token endpoint refuses a client_id that is not the QWAC organisation identifier', async () => {
    const client = clientFor(sb, { clientId: 'PSDFR-ACPR-99999' });
    try {
      const e = await client.paymentRequests.retrieve('PR-x').then(() => undefined, (err: unknown) => err);
      expect(e).to.be.instanceOf(BankUnauthorizedError);
      expect((e as BankUnauthorizedError).status).to.equal(401);
      expect((e as BankUnauthorizedError).message).to.contain('PSDFR-ACPR-99999');
    } finally {
      client.close();
    }
  });

  it('TokenProvider renews before expiry and shares one refresh after a refusal', async () => {
    let now = 0;
    let fetched = 0;
    const tp = new TokenProvider(async () => ({ accessToken: `t${++fetched}`, expiresIn: 100 }), () => now);
    expect(await tp.get()).to.equal('t1');
    now = 89_000;
    expect(await tp.get()).to.equal('t1');
    now = 91_000; // within the 10 s skew (a tenth of 100 s)
    expect(await tp.get()).to.equal('t2');
    const renewed = await Promise.all([tp.renewAfterRefusal('t2'), tp.renewAfterRefusal('t2'), tp.renewAfterRefusal('t2')]);
    expect(renewed).to.deep.equal(['t3', 't3', 't3']);
    expect(fetched).to.equal(3);
  });
});
