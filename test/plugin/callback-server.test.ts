import { expect } from 'chai';
import { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import {
  nonceFor,
  odooLinks,
  redisNonceStore,
  reportUrlsFor,
  signCompactState,
  startCallbackServer,
  UnknownPaymentError,
  type CallbackServer,
  type CheckStatusRequest,
} from '../../plugin/callback/index.js';

const SECRET = 'callback-secret-0123456789abcdef0123456789';
const IDS = { paymentInformationId: 'PI-prod-42-1', instructionId: 'IN-42-1', endToEndId: 'E2E-42-1', billId: 42 };
const NONCE = nonceFor(SECRET, IDS.paymentInformationId);

/** The URL with the state token's last two characters changed (always different from the genuine ones). */
function forged(url: string): string {
  return url.slice(0, -2) + (url.endsWith('A') ? 'BB' : 'AA');
}

async function get(url: string, lang?: string, method = 'GET') {
  const res = await fetch(url, { method, headers: lang ? { 'accept-language': lang } : {} });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

describe('consent callback server (plugin/callback)', () => {
  let server: CallbackServer;
  let calls: CheckStatusRequest[];
  let urls: { successfulReportUrl: string; unsuccessfulReportUrl: string };
  let checkImpl: (p: CheckStatusRequest) => Promise<void | { billName?: string }>;
  /** Payments stetpay follows (the ledger), the nonces used up (Redis), and who asked. */
  let known: Set<string>;
  let knowsImpl: (id: string) => Promise<boolean>;
  let lookedUp: string[];
  let used: Set<string>;
  const errors: string[] = [];

  beforeEach(async () => {
    calls = [];
    lookedUp = [];
    used = new Set();
    known = new Set([IDS.paymentInformationId]);
    knowsImpl = async (id) => known.has(id);
    errors.length = 0;
    checkImpl = async () => ({ billName: 'BILL/2026/11/0042' });
    server = await startCallbackServer({
      port: 0,
      secret: SECRET,
      markUsed: async (n) => (used.has(n) ? false : (used.add(n), true)),
      knows: (id) => {
        lookedUp.push(id);
        return knowsImpl(id);
      },
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
    expect(r.text).to.contain('<html lang="fr">').and.contain('Paiement approuvé').and.contain('Vous pouvez revenir à Odoo');
    expect(r.text).to.contain('BILL/2026/11/0042').and.contain('PI-prod-42-1');
    expect(r.headers.get('content-security-policy')).to.equal("default-src 'none'; style-src 'unsafe-inline'");
    expect(calls).to.deep.equal([{ paymentId: 'PI-prod-42-1', billId: 42, outcome: 'success', query: { code: 'abc' } }]);
    expect([...used]).to.deep.equal([NONCE]);
  });

  it('answers in English otherwise, for a refusal: the same token is valid on the failure path', async () => {
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

  it('refuses a forged token, one signed with another secret, or none with 400 and changes nothing', async () => {
    const r1 = await get(forged(urls.successfulReportUrl), 'fr');
    expect(r1.status).to.equal(400);
    expect(r1.text).to.contain('Lien non valide');
    const other = signCompactState('someone-elses-secret-0123456789abcdef', { paymentId: IDS.paymentInformationId, billId: 42, exp: 4102444800 });
    const r2 = await get(`${server.url}/stet/callback/success?state=${other}`);
    expect(r2.status).to.equal(400);
    expect(r2.text).to.contain('Invalid link');
    expect((await get(`${server.url}/stet/callback/success`)).status).to.equal(400);
    expect({ calls, lookedUp, used: [...used] }).to.deep.equal({ calls: [], lookedUp: [], used: [] });
    // The genuine link still works afterwards: nothing was used up.
    expect((await get(urls.successfulReportUrl)).status).to.equal(200);
  });

  it('refuses an expired link with 400 and changes nothing', async () => {
    const old = reportUrlsFor(server.url, SECRET, IDS, { now: new Date(Date.now() - 40 * 86_400_000) });
    const r = await get(old.successfulReportUrl);
    expect(r.status).to.equal(400);
    expect(r.text).to.contain('Link expired');
    expect({ calls, lookedUp, used: [...used] }).to.deep.equal({ calls: [], lookedUp: [], used: [] });
  });

  it('answers 400 "unknown payment" for a genuine link to a payment stetpay does not follow, before using up its nonce', async () => {
    known.clear();
    const r = await get(urls.successfulReportUrl);
    expect(r.status).to.equal(400);
    expect(r.text).to.contain('Unknown payment');
    expect({ calls, lookedUp, used: [...used] }).to.deep.equal({ calls: [], lookedUp: [IDS.paymentInformationId], used: [] });
    // Nothing was used up: once stetpay follows the payment again, the same link works.
    known.add(IDS.paymentInformationId);
    expect((await get(urls.successfulReportUrl)).status).to.equal(200);
    expect(calls).to.have.length(1);
  });

  it('answers 503 and uses nothing up when the ledger cannot be read', async () => {
    knowsImpl = async () => {
      throw new Error('redis down');
    };
    const r = await get(urls.successfulReportUrl);
    expect(r.status).to.equal(503);
    expect(r.headers.get('retry-after')).to.equal('30');
    expect(r.text).to.contain('Service briefly unavailable').and.not.contain('redis down');
    expect({ calls, used: [...used] }).to.deep.equal({ calls: [], used: [] });
    expect(errors.some((e) => e.includes('redis down'))).to.equal(true);
  });

  it('still answers 400 "unknown payment" when the payment is dropped between the lookup and the check', async () => {
    checkImpl = async (p) => {
      throw new UnknownPaymentError(p.paymentId);
    };
    const r = await get(urls.successfulReportUrl);
    expect(r.status).to.equal(400);
    expect(r.text).to.contain('Unknown payment');
  });

  it('answers HEAD (link previewers, mail scanners) without using up the nonce, looking the payment up or checking the bank', async () => {
    const head = await get(urls.successfulReportUrl, undefined, 'HEAD');
    expect(head.status).to.equal(200);
    expect(head.text).to.equal('');
    expect(head.headers.get('cache-control')).to.equal('no-store');
    expect(head.headers.get('referrer-policy')).to.equal('no-referrer');
    const refused = await get(forged(urls.successfulReportUrl), undefined, 'HEAD');
    expect(refused.status).to.equal(400);
    expect(refused.text).to.equal('');
    expect({ calls, lookedUp, used: [...used] }).to.deep.equal({ calls: [], lookedUp: [], used: [] });
    // The signatory's GET afterwards is the first use.
    const r = await get(urls.successfulReportUrl);
    expect(r.status).to.equal(200);
    expect(r.text).to.contain('Payment approved');
    expect(calls).to.have.length(1);
  });

  it('answers 405 to other methods, naming GET and HEAD', async () => {
    const r = await get(urls.successfulReportUrl, undefined, 'POST');
    expect(r.status).to.equal(405);
    expect(r.headers.get('allow')).to.equal('GET, HEAD');
    expect({ calls, used: [...used] }).to.deep.equal({ calls: [], used: [] });
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

  it('answers 404 on an unknown path and 200 on /healthz', async () => {
    const r = await get(`${server.url}/admin`);
    expect(r.status).to.equal(404);
    expect(r.text).to.contain('Page not found');
    const h = await get(`${server.url}/healthz`);
    expect(h.status).to.equal(200);
    expect(h.text).to.equal('ok\n');
  });
});

describe('consent callback pages: the bill number and the way back to Odoo', () => {
  let server: CallbackServer;
  let urls: { successfulReportUrl: string; unsuccessfulReportUrl: string };
  let billName: (id: number) => Promise<string | undefined>;
  let version: 16 | 17 | 18;
  const used = new Set<string>();
  const BILL_18 = 'https://odoo.example.com/odoo/action-account.action_move_in_invoice_type/42';

  beforeEach(async () => {
    used.clear();
    version = 18;
    billName = async (id) => (id === 42 ? 'BILL/2026/11/0042' : undefined);
    server = await startCallbackServer({
      port: 0,
      secret: SECRET,
      markUsed: async (n) => (used.has(n) ? false : (used.add(n), true)),
      knows: async () => true,
      // the check does not name the bill: the page asks billName
      checkStatus: async () => undefined,
      // the Odoo version may change per test: the links are read at each page
      odooLinks: { bill: (id) => odooLinks('https://odoo.example.com/', version).bill(id), get home() { return odooLinks('https://odoo.example.com/', version).home; } },
      billName: (id) => billName(id),
    });
    urls = reportUrlsFor(server.url, SECRET, IDS);
  });
  afterEach(() => server.close());

  it('CALLBACK-LINK-01 Odoo 18: /odoo/action-account.action_move_in_invoice_type/<id>; 16 and 17: /web#id=<id>&model=account.move&view_type=form; home /odoo or /web', () => {
    expect(odooLinks('https://odoo.example.com/', 18)).to.include({ home: 'https://odoo.example.com/odoo' });
    expect(odooLinks('https://odoo.example.com/', 18).bill(42)).to.equal(BILL_18);
    for (const v of [16, 17] as const) {
      const l = odooLinks('https://erp.example.com/odoo-prod', v);
      expect(l.bill(7)).to.equal('https://erp.example.com/odoo-prod/web#id=7&model=account.move&view_type=form');
      expect(l.home).to.equal('https://erp.example.com/odoo-prod/web');
    }
  });

  it('CALLBACK-LINK-02 "Link already used" names the bill by its number and links to it in Odoo', async () => {
    expect((await get(urls.successfulReportUrl)).status).to.equal(200);
    const r = await get(urls.successfulReportUrl);
    expect(r.status).to.equal(400);
    expect(r.text).to.contain('Link already used').and.contain('<dd>BILL/2026/11/0042</dd>').and.not.contain('#42');
    expect(r.text).to.contain(`<a href="${BILL_18}">Open bill BILL/2026/11/0042 in Odoo</a>`);
  });

  it('CALLBACK-LINK-03 approved, in French, on Odoo 17: the bill number and the /web#id= link (escaped in the attribute)', async () => {
    version = 17;
    const r = await get(urls.successfulReportUrl, 'fr-FR');
    expect(r.status).to.equal(200);
    expect(r.text).to.contain('Paiement approuvé').and.contain('<dd>BILL/2026/11/0042</dd>');
    expect(r.text).to.contain('<a href="https://odoo.example.com/web#id=42&amp;model=account.move&amp;view_type=form">Ouvrir la facture BILL/2026/11/0042 dans Odoo</a>');
  });

  it('CALLBACK-LINK-04 Odoo cannot say the number: the page shows #id and still links to the bill; pages that know no bill link to Odoo', async () => {
    billName = async () => {
      throw new Error('odoo down');
    };
    const r = await get(urls.unsuccessfulReportUrl);
    expect(r.text).to.contain('Payment refused').and.contain('<dd>#42</dd>').and.contain(`<a href="${BILL_18}">Open bill #42 in Odoo</a>`);
    const forgedPage = await get(forged(urls.successfulReportUrl));
    expect(forgedPage.text).to.contain('Invalid link').and.contain('<a href="https://odoo.example.com/odoo">Return to Odoo</a>');
    const missing = await get(`${server.url}/nothing-here`, 'fr');
    expect(missing.status).to.equal(404);
    expect(missing.text).to.contain('<a href="https://odoo.example.com/odoo">Revenir à Odoo</a>');
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
