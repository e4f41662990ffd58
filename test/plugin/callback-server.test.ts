import { expect } from 'chai';
import { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import {
  redisNonceStore,
  reportUrlsFor,
  signState,
  startCallbackServer,
  UnknownPaymentError,
  type CallbackServer,
  type CheckStatusRequest,
} from '../../plugin/callback/index.js';

const SECRET = 'callback-secret-0123456789abcdef0123456789';
const IDS = { paymentInformationId: 'PI-prod-42-1', instructionId: 'IN-42-1', endToEndId: 'E2E-42-1', billId: 42 };

function memoryNonces() {
  const seen = new Set<string>();
  return async (n: string) => (seen.has(n) ? false : (seen.add(n), true));
}

async function get(url: string, lang?: string) {
  const res = await fetch(url, { headers: lang ? { 'accept-language': lang } : {} });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

describe('consent callback server (plugin/callback)', () => {
  let server: CallbackServer;
  let calls: CheckStatusRequest[];
  let urls: { successfulReportUrl: string; unsuccessfulReportUrl: string };
  let checkImpl: (p: CheckStatusRequest) => Promise<void | { billName?: string }>;
  const errors: string[] = [];

  beforeEach(async () => {
    calls = [];
    errors.length = 0;
    checkImpl = async () => ({ billName: 'BILL/2026/11/0042' });
    server = await startCallbackServer({
      port: 0,
      secret: SECRET,
      markUsed: memoryNonces(),
      checkStatus: async (p) => {
        calls.push(p);
        return checkImpl(p);
      },
      log: { info() {}, warn() {}, error: (o) => errors.push(JSON.stringify(o)) },
    });
    urls = reportUrlsFor(server.url, SECRET, IDS);
  });
  afterEach(() => server.close());

  it('answers a valid approval with a French page when the browser prefers French, and checks the payment once', async () => {
    const r = await get(urls.successfulReportUrl + '&code=abc', 'fr-FR,fr;q=0.9,en;q=0.8');
    expect(r.status).to.equal(200);
    expect(r.text).to.contain('<html lang="fr">').and.contain('Paiement approuvé').and.contain('vous pouvez revenir à Odoo'.replace('vous', 'Vous'));
    expect(r.text).to.contain('BILL/2026/11/0042').and.contain('PI-prod-42-1');
    expect(r.headers.get('content-security-policy')).to.equal("default-src 'none'; style-src 'unsafe-inline'");
    expect(calls).to.deep.equal([{ paymentId: 'PI-prod-42-1', billId: 42, outcome: 'success', query: { code: 'abc' } }]);
  });

  it('answers in English otherwise, for a refusal', async () => {
    const r = await get(urls.unsuccessfulReportUrl, 'de-DE,de;q=0.9');
    expect(r.status).to.equal(200);
    expect(r.text).to.contain('<html lang="en">').and.contain('Payment refused').and.contain('You can return to Odoo');
    expect(calls).to.deep.equal([{ paymentId: 'PI-prod-42-1', billId: 42, outcome: 'failure', query: {} }]);
  });

  it('refuses a replayed link with 400 and does not check again, even on the other path', async () => {
    expect((await get(urls.successfulReportUrl)).status).to.equal(200);
    const again = await get(urls.successfulReportUrl);
    expect(again.status).to.equal(400);
    expect(again.text).to.contain('Link already used');
    expect((await get(urls.unsuccessfulReportUrl)).status).to.equal(400);
    expect(calls).to.have.length(1);
  });

  it('refuses a forged token, another secret, or an outcome-bound (earlier) token used on the wrong path with 400 and changes nothing', async () => {
    const token = new URL(urls.successfulReportUrl).searchParams.get('state')!;
    const forged = token.slice(0, -2) + (token.endsWith('A') ? 'BB' : 'AA');
    const r1 = await get(`${server.url}/stet/callback/success?state=${forged}`, 'fr');
    expect(r1.status).to.equal(400);
    expect(r1.text).to.contain('Lien non valide');
    const other = signState('someone-elses-secret-0123456789abcdef', { paymentId: 'PI-x', billId: 7, nonce: 'n', exp: 4102444800 });
    expect((await get(`${server.url}/stet/callback/success?state=${other}`)).status).to.equal(400);
    const boundToSuccess = signState(SECRET, { paymentId: 'PI-prod-42-1', billId: 42, nonce: 'n-bound', exp: 4102444800, outcome: 'success' });
    expect((await get(`${server.url}/stet/callback/failure?state=${boundToSuccess}`)).status).to.equal(400);
    expect((await get(`${server.url}/stet/callback/success`)).status).to.equal(400);
    expect(calls).to.deep.equal([]);
    // The genuine link still works afterwards: nothing was used up.
    expect((await get(urls.successfulReportUrl)).status).to.equal(200);
  });

  it('refuses an expired link with 400', async () => {
    const old = reportUrlsFor(server.url, SECRET, IDS, { now: new Date(Date.now() - 40 * 86_400_000) });
    const r = await get(old.successfulReportUrl);
    expect(r.status).to.equal(400);
    expect(r.text).to.contain('Link expired');
    expect(calls).to.deep.equal([]);
  });

  it('still answers the page when the status check fails, and logs the failure without a stack', async () => {
    checkImpl = async () => {
      throw new Error('bank unreachable');
    };
    const r = await get(urls.successfulReportUrl);
    expect(r.status).to.equal(200);
    expect(r.text).to.contain('Payment approved').and.not.contain('bank unreachable').and.not.contain('at ');
    expect(errors.some((e) => e.includes('bank unreachable'))).to.equal(true);
  });

  it('answers 400 "unknown payment" when the hook does not know the payment', async () => {
    checkImpl = async (p) => {
      throw new UnknownPaymentError(p.paymentId);
    };
    const r = await get(urls.successfulReportUrl);
    expect(r.status).to.equal(400);
    expect(r.text).to.contain('Unknown payment');
  });

  it('answers 404 on an unknown path and 200 on /healthz', async () => {
    const r = await get(`${server.url}/admin`);
    expect(r.status).to.equal(404);
    expect(r.text).to.contain('Page not found');
    const h = await get(`${server.url}/healthz`);
    expect(h.status).to.equal(200);
    expect(h.text).to.equal('ok\n');
  });
});

describe('redisNonceStore (real Redis)', () => {
  let redis: TestRedis;
  let client: Redis;
  before(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
  });
  after(async () => {
    await client.quit();
    await redis.stop();
  });

  it('marks a nonce used once; a replay and a concurrent duplicate both get false', async () => {
    const store = redisNonceStore(client, '{stetpay}', 1);
    const results = await Promise.all([store.markUsed('nonce-a'), store.markUsed('nonce-a'), store.markUsed('nonce-a')]);
    expect(results.filter(Boolean)).to.have.length(1);
    expect(await store.markUsed('nonce-a')).to.equal(false);
    expect(await store.markUsed('nonce-b')).to.equal(true);
    const ttl = await client.ttl('{stetpay}:stetpay:consent-nonce:nonce-a');
    expect(ttl).to.be.within(86_300, 86_400);
  });
});
