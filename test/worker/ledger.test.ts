import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { PaymentLedger } from '../../worker/ledger/payment-ledger.js';
import { CLAIM } from '../../worker/types/ledger-entry.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

describe('payment ledger (claimPayment-1.lua on real Redis)', () => {
  let redis: TestRedis;
  let conn: Redis;
  let ledger: PaymentLedger;
  let clock: number;
  const req = (token: string, pid = 'PI-1') => ({ paymentInformationId: pid, token, billId: 7, endToEndId: 'E2E-1' });

  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis.stop();
  });
  beforeEach(() => {
    conn = new Redis(redis.url);
    clock = 1_000_000;
    ledger = new PaymentLedger(conn, { prefix: `{t-${randomUUID()}}`, claimTtlMs: 10_000, now: () => clock });
  });
  afterEach(async () => {
    await conn.quit();
  });

  it('LEDGER-01 a first claim is fresh and records sending', async () => {
    expect(await ledger.claim(req('a'))).to.equal(CLAIM.FRESH);
    const e = await ledger.get('PI-1');
    expect(e).to.include({ state: 'sending', token: 'a', claimedAt: 1_000_000, uncertain: false, claims: 1, billId: 7, endToEndId: 'E2E-1' });
    const ttl = await conn.pttl(ledger.key('PI-1'));
    expect(ttl).to.be.greaterThan(39 * 24 * 3600 * 1000);
  });

  it('LEDGER-02 a live claim of another worker holds the payment', async () => {
    await ledger.claim(req('a'));
    clock += 9_000;
    expect(await ledger.claim(req('b'))).to.equal(CLAIM.HELD);
  });

  it('LEDGER-03 a dead claim (older than its ttl) is resumed: the bank may have it', async () => {
    await ledger.claim(req('a'));
    clock += 10_001;
    expect(await ledger.claim(req('b'))).to.equal(CLAIM.RESUMED);
    expect(await ledger.get('PI-1')).to.include({ state: 'sending', token: 'b', uncertain: true, claims: 2 });
  });

  it('LEDGER-04 a claim released after a possible send is resumed at once (same ids re-sent)', async () => {
    await ledger.claim(req('a'));
    expect(await ledger.release('PI-1', 'a', true)).to.equal(true);
    expect(await ledger.claim(req('b'))).to.equal(CLAIM.RESUMED);
  });

  it('LEDGER-05 a claim released when the bank surely did not get it is fresh again', async () => {
    await ledger.claim(req('a'));
    expect(await ledger.release('PI-1', 'a', false)).to.equal(true);
    expect(await ledger.get('PI-1')).to.equal(null);
    expect(await ledger.claim(req('b'))).to.equal(CLAIM.FRESH);
  });

  it('LEDGER-06 only the holder releases; a release keeps earlier uncertainty', async () => {
    await ledger.claim(req('a'));
    expect(await ledger.release('PI-1', 'zzz', false)).to.equal(false);
    await ledger.release('PI-1', 'a', true);
    await ledger.claim(req('b'));
    await ledger.release('PI-1', 'b', false); // a 429 now does not erase that an earlier try may have reached the bank
    expect(await ledger.get('PI-1')).to.include({ state: 'sending', uncertain: true });
  });

  it('LEDGER-07 sent and final payments are never claimed again', async () => {
    await ledger.claim(req('a'));
    await ledger.markSent('PI-1', { resourceId: 'RES-9', consentUrl: 'https://bank/c/9', requestId: 'r1' });
    clock += 1e9;
    expect(await ledger.claim(req('b'))).to.equal(CLAIM.DONE);
    expect(await ledger.get('PI-1')).to.include({ state: 'sent', resourceId: 'RES-9', consentUrl: 'https://bank/c/9', status: 'submitted' });
    await ledger.claim(req('c', 'PI-2'));
    await ledger.markFinal('PI-2', { status: 'rejected', reason: 'bad IBAN' });
    expect(await ledger.claim(req('d', 'PI-2'))).to.equal(CLAIM.DONE);
    expect(await ledger.markSent('PI-2', { resourceId: 'X' })).to.equal(false);
  });

  it('LEDGER-08 an exported payment is never sent by the API, and a sent one is never exported', async () => {
    expect(await ledger.markExported('PI-1', 7, 'E2E-1')).to.equal(true);
    expect(await ledger.claim(req('a'))).to.equal(CLAIM.DONE);
    await ledger.claim(req('a', 'PI-2'));
    expect(await ledger.markExported('PI-2', 8, 'E2E-2')).to.equal(false);
  });

  it('LEDGER-09 of 20 parallel claims on separate connections exactly one wins', async () => {
    const conns = Array.from({ length: 20 }, () => new Redis(redis.url));
    try {
      const ledgers = conns.map((c) => new PaymentLedger(c, { prefix: ledger.prefix, claimTtlMs: 60_000 }));
      const codes = await Promise.all(ledgers.map((l, i) => l.claim(req(`w${i}`, 'PI-RACE'))));
      expect(codes.filter((c) => c === CLAIM.FRESH)).to.have.length(1);
      expect(codes.filter((c) => c === CLAIM.HELD)).to.have.length(19);
    } finally {
      await Promise.all(conns.map((c) => c.quit()));
    }
  });
});
