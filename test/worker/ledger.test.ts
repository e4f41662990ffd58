import { expect } from 'chai';
import { Redis } from 'ioredis';
import { PaymentLedger, RELEASE, RETIRE } from '../../worker/ledger/payment-ledger.js';
import { attemptVerdict, bankFact, notAtBankBlockers } from '../../worker/ledger/ledger-meaning.js';
import { CLAIM } from '../../worker/ledger/ledger-entry.js';
import type { TestRedis } from '../support/redis-server.js';
import { freshPrefix, redisClientPerTest } from '../support/redis-per-suite.js';

describe('payment ledger (claimPayment-1.lua on real Redis)', () => {
  let redis: TestRedis;
  let conn: Redis;
  let ledger: PaymentLedger;
  let clock: number;
  const req = (token: string, pid = 'PI-1') => ({ paymentInformationId: pid, token, billId: 7, endToEndId: 'E2E-1' });

  redisClientPerTest((r) => ({ redis, client: conn } = r));
  beforeEach(() => {
    clock = 1_000_000;
    ledger = new PaymentLedger(conn, { prefix: freshPrefix(), claimTtlMs: 10_000, now: () => clock });
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

  const retire = (pid = 'PI-1') =>
    ledger.retire(pid, { billId: 7, endToEndId: 'E2E-1', status: 'withdrawn', reason: 'changed', reviewReason: 'changed, may be at the bank', evidence: 'changed_after_reservation' });

  it('LEDGER-10 retiring ids nothing was claimed under is final (withdrawn): every later claim is refused', async () => {
    expect(await retire()).to.equal(RETIRE.RETIRED);
    expect(await ledger.get('PI-1')).to.include({ state: 'final', status: 'withdrawn', reason: 'changed' });
    expect(await ledger.claim(req('a'))).to.equal(CLAIM.DONE);
    expect(await ledger.markExported('PI-1', 7, 'E2E-1')).to.equal(false);
  });

  it('LEDGER-11 retiring is refused against a live claim, stops (needs_review) a claim that may have reached the bank, and never touches a decided payment', async () => {
    await ledger.claim(req('a'));
    expect(await retire()).to.equal(RETIRE.HELD);
    clock += 11_000; // the claim lapsed: its worker died mid-call
    expect(await retire()).to.equal(RETIRE.STOPPED);
    expect(await ledger.get('PI-1')).to.include({ state: 'final', status: 'needs_review', reason: 'changed, may be at the bank', evidence: 'changed_after_reservation' });
    await ledger.claim(req('b', 'PI-2'));
    await ledger.markSent('PI-2', { resourceId: 'R2' });
    expect(await retire('PI-2')).to.equal(RETIRE.DECIDED);
    expect(await ledger.get('PI-2')).to.include({ state: 'sent' });
  });

  it('LEDGER-12 "the bank may have it" recorded for a payment Redis has no trace of: its first claim is a resume', async () => {
    expect(await ledger.markUncertain('PI-1', 7, 'E2E-1', 'no_trace')).to.equal(true);
    expect(await ledger.markUncertain('PI-1', 7, 'E2E-1', 'no_trace')).to.equal(false);
    expect(await ledger.get('PI-1')).to.include({ state: 'sending', uncertain: true, claims: 0, evidence: 'no_trace' });
    expect(await ledger.claim(req('a'))).to.equal(CLAIM.RESUMED);
  });

  it('LEDGER-13 a release (stetpay resolve) never releases what the bank accepted or said it has, nor a live claim', async () => {
    await ledger.claim(req('a', 'PI-S'));
    await ledger.markSent('PI-S', { resourceId: 'R' });
    expect(await ledger.markReleased('PI-S', 7, 'E', 'Ann')).to.equal(RELEASE.AT_BANK);
    await ledger.claim(req('a', 'PI-D'));
    await ledger.markFinal('PI-D', { status: 'needs_review', reason: 'dup', evidence: 'duplicate' });
    expect(await ledger.markReleased('PI-D', 7, 'E', 'Ann')).to.equal(RELEASE.AT_BANK);
    await ledger.claim(req('a', 'PI-X'));
    await ledger.markFinal('PI-X', { status: 'executed' });
    expect(await ledger.markReleased('PI-X', 7, 'E', 'Ann')).to.equal(RELEASE.AT_BANK);
    await ledger.claim(req('a', 'PI-L'));
    expect(await ledger.markReleased('PI-L', 7, 'E', 'Ann')).to.equal(RELEASE.HELD);
    await ledger.markFinal('PI-L', { status: 'needs_review', reason: 'lost', evidence: 'lost_answer' });
    expect(await ledger.markReleased('PI-L', 7, 'E', 'Ann')).to.equal(RELEASE.RELEASED);
    expect(await ledger.markReleased('PI-NONE', 7, 'E', 'Ann')).to.equal(RELEASE.RELEASED);
    expect(await ledger.get('PI-S')).to.include({ state: 'sent' });
  });

  it('LEDGER-MEANING what each state says about the bank, and when attempt n+1 may start', async () => {
    const entry = async (pid: string) => ledger.get(pid);
    const facts = (pid: string, over: Partial<Parameters<typeof attemptVerdict>[0]> = {}) => async () =>
      attemptVerdict({ attempt: 1, closedAttempt: 0, entry: await entry(pid), jobState: 'unknown', claimTtlMs: 10_000, now: clock, ...over });
    await ledger.claim(req('a', 'P-SENDING'));
    await ledger.claim(req('a', 'P-SENT'));
    await ledger.markSent('P-SENT', { resourceId: 'R1' });
    await ledger.claim(req('a', 'P-REJ'));
    await ledger.markFinal('P-REJ', { status: 'rejected' });
    await ledger.markReleased('P-REL', 7, 'E', 'Ann');
    await ledger.markExported('P-EXP', 7, 'E');
    expect(bankFact(await entry('P-SENDING'), 10_000, clock)).to.equal('in_flight');
    expect(bankFact(await entry('P-SENT'), 10_000, clock)).to.equal('has');
    expect(bankFact(await entry('P-REJ'), 10_000, clock)).to.equal('never_paid');
    expect(bankFact(await entry('P-REL'), 10_000, clock)).to.equal('never_paid');
    expect(bankFact(await entry('P-EXP'), 10_000, clock)).to.equal('by_file');
    expect(bankFact(null, 10_000, clock)).to.equal('unknown');
    // a missing entry never means "not sent": only Odoo's closed attempt, a live job's absence with a finished job, or the ledger's final no
    expect(await facts('P-NONE')()).to.deep.include({ kind: 'may_be_at_bank' });
    expect((await facts('P-NONE')()) as { evidence: string }).to.have.property('evidence').that.contains('Redis has no trace of it');
    expect(await facts('P-NONE', { closedAttempt: 1 })()).to.deep.include({ kind: 'closed' });
    expect(await facts('P-NONE', { jobState: 'waiting' })()).to.deep.include({ kind: 'may_be_at_bank', evidence: 'it is still queued for the bank (job waiting)' });
    expect(await facts('P-NONE', { jobState: 'completed' })()).to.deep.equal({ kind: 'retirable' });
    expect(await facts('P-SENT')()).to.deep.include({ kind: 'may_be_at_bank', evidence: 'the bank accepted it (resource R1) (ledger: sent)' });
    expect(await facts('P-REJ')()).to.deep.include({ kind: 'closed' });
    expect(await facts('P-REL')()).to.deep.include({ kind: 'closed' });
    expect(await facts('P-EXP')()).to.deep.include({ kind: 'may_be_at_bank' });
    expect(notAtBankBlockers(await entry('P-SENT'), 'unknown', 10_000, clock)).to.deep.equal(['the bank accepted it (resource R1) (ledger: sent)']);
    expect(notAtBankBlockers(null, 'active', 10_000, clock)).to.deep.equal(['a worker still has it in hand (job active)']);
    expect(notAtBankBlockers(null, 'unknown', 10_000, clock)).to.deep.equal([]);
  });
});
