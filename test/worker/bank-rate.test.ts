import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { BankCallAbortedError, BankTransientError, BankUnreachableError } from '../../connector/stet/errors/bank-error.js';
import { getBankProfile } from '../../connector/profiles/index.js';
import { StetClient } from '../../connector/stet/stet-client.js';
import { BankRateLimiter, BankRateWaitAbortedError, bankRateKey, DEFAULT_MARGIN_MS, UNANSWERED_GRACE_MS } from '../../worker/bank-rate/bank-rate-limiter.js';
import { mayHaveReachedBank } from '../../worker/classify-submit-error.js';
import type { RunningBankSandbox } from '../../sandbox/bank/index.js';
import { startBankProcess } from '../../bench/lib/bank-process.js';
import { clientFor, startSandbox } from '../bank/harness.js';
import { paymentRequest } from '../bank/fixtures.js';
import type { TestRedis } from '../support/redis-server.js';
import { redisClientPerSuite } from '../support/redis-per-suite.js';

const LIMITER_URL = new URL('../../worker/bank-rate/bank-rate-limiter.js', import.meta.url).href;
const CONNECTION_URL = new URL('../../worker/connection.js', import.meta.url).href;
const GAP_MS = 1000 + DEFAULT_MARGIN_MS;

/**
 * A process of its own sending N requests to a simulated bank, LOOPS at once: each takes a ticket, "leaves",
 * waits for the bank's answer (HOLDS_MS in turn: a stalled bank holds some answers longer than a second), then
 * ends its ticket. With EXIT_HOLDING=1 it takes one ticket and dies without ending it.
 */
const CHILD = `
const { BankRateLimiter } = await import(process.env.LIMITER_URL);
const { createRedisConnection } = await import(process.env.CONNECTION_URL);
const redis = createRedisConnection(process.env.REDIS_URL, 'producer');
await new Promise((r) => redis.once('ready', r));
const limiter = new BankRateLimiter(redis, { prefix: '{rate}', requestsPerSecond: Number(process.env.R), ...JSON.parse(process.env.OPTS || '{}') });
if (process.env.EXIT_HOLDING) { const t = await limiter.acquire(); process.stdout.write(JSON.stringify(t)); process.exit(0); }
const holds = JSON.parse(process.env.HOLDS_MS);
const out = [];
let next = 0;
await Promise.all(Array.from({ length: Number(process.env.LOOPS) }, async () => {
  while (next < Number(process.env.N)) {
    const i = next++;
    const t = await limiter.acquire();
    const left = Date.now();
    await new Promise((r) => setTimeout(r, holds[i % holds.length]));
    const observed = Date.now();
    t.end({ answered: true });
    out.push({ seq: t.seq, at: t.at, left, observed });
  }
}));
await new Promise((r) => setTimeout(r, 50));
process.stdout.write(JSON.stringify(out));
redis.disconnect();
`;

interface Sent {
  seq: number;
  at: number;
  left: number;
  observed: number;
}

function child<T>(redisUrl: string, env: Record<string, string>): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
      env: { PATH: process.env.PATH, LIMITER_URL, CONNECTION_URL, REDIS_URL: redisUrl, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

/** Most times of `times` inside any half-open window [t, t + ms), as the bank sandbox counts. */
function busiest(times: number[], ms: number): number {
  const sorted = [...times].sort((x, y) => x - y);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('bank rate limit shared in Redis (worker/bank-rate, BANK-RATE)', function () {
  this.timeout(90_000);
  let redis: TestRedis;
  let client: Redis;
  redisClientPerSuite((r) => ({ redis, client } = r));
  beforeEach(() => client.flushall());

  it('BANK-RATE-01 request n + R leaves a second after request n was answered, across three processes, whatever the bank holds: never R + 1 in a second', async () => {
    const R = 10;
    // Most answers in a few ms; every seventh held 1.2 s, longer than the second (a stalled bank).
    const env = { R: String(R), N: '20', LOOPS: '5', HOLDS_MS: JSON.stringify([3, 10, 1, 1200, 5, 2, 8]) };
    const runs = await Promise.all([0, 1, 2].map(() => child<Sent[]>(redis.url, env)));
    const all = runs.flat().sort((x, y) => x.seq - y.seq);
    // Every number given once, none lost: 60 requests, 1..60.
    expect(all.map((x) => x.seq)).to.deep.equal(Array.from({ length: 60 }, (_, i) => i + 1));
    for (const x of all) expect(x.left, `request ${x.seq} left before its moment`).to.be.at.least(x.at);
    // The rule itself, on the machine's clock (Redis stamps the end after the answer was observed).
    for (let k = 0; k + R < all.length; k++) {
      expect(all[k + R]!.left - all[k]!.observed, `request ${k + 1 + R} after ${k + 1}'s answer`).to.be.at.least(GAP_MS - 1);
    }
    // Even pacing: moments at least 1,000 / R apart.
    for (let k = 1; k < all.length; k++) expect(all[k]!.at - all[k - 1]!.at).to.be.at.least(1000 / R - 0.002);
    // The bank may stamp each request anywhere between when it left and when its answer came back:
    // stamped all when they left, all when answered, or chains alternately, no second holds R + 1.
    expect(busiest(all.map((x) => x.left), 1000)).to.be.at.most(R);
    expect(busiest(all.map((x) => x.observed), 1000)).to.be.at.most(R);
    expect(busiest(all.map((x) => (x.seq % 2 ? x.left : x.observed)), 1000)).to.be.at.most(R);
    expect(busiest(all.map((x) => (x.seq % 2 ? x.observed : x.left)), 1000)).to.be.at.most(R);
    // And it still uses the limit: R in the busiest second.
    expect(busiest(all.map((x) => x.left), 1000)).to.equal(R);
    for (const run of runs) expect(run).to.have.length(20);
  });

  it('BANK-RATE-02 R chains, one moment per 1,000 / R ms: 20 ms at 50/s, 5 ms at 200/s, 2,000 ms at 0.5/s; a request never ended counts as ended 37 s after its moment by default', () => {
    const at = (r: number, o = {}) => new BankRateLimiter(client, { prefix: '{rate}', requestsPerSecond: r, ...o });
    expect([at(50).intervalMs, at(50).ring]).to.deep.equal([20, 50]);
    expect([at(200).intervalMs, at(200).ring]).to.deep.equal([5, 200]);
    expect([at(0.5).intervalMs, at(0.5).ring]).to.deep.equal([2000, 1]);
    expect(at(50.7).ring).to.equal(50);
    expect(at(50).expiryMs).to.equal(1000 + 35_000 + 1000); // late limit + connect and response time-outs + a second
    expect(at(50, { requestTimeoutMs: 10_000, maxLateMs: 500 }).expiryMs).to.equal(11_500);
  });

  it('BANK-RATE-03 every request of the STET client waits for it and reports its end: the token, the POST and the GET, each once', async () => {
    const sb: RunningBankSandbox = await startSandbox();
    const limiter = new BankRateLimiter(client, { prefix: '{rate}', requestsPerSecond: 50 });
    let waits = 0;
    const stet = clientFor(sb, { beforeRequest: async (s) => (waits++, (await limiter.acquire(s)).end) });
    try {
      const created = await stet.paymentRequests.create(paymentRequest({ now: sb.now() }));
      await stet.paymentRequests.retrieve(created.meta.resourceId!);
      expect(sb.requests().map((r) => r.method)).to.deep.equal(['POST', 'POST', 'GET']);
      expect(waits).to.equal(3);
      await client.ping(); // the ends are not awaited by the client: let them reach Redis
      const ring = await client.hgetall(bankRateKey('{rate}'));
      expect(ring.seq).to.equal('3');
      // Slot n mod 50 = "n:end:state:previous end": each request ended ('e').
      expect(['1', '2', '3'].map((n) => ring[n]!.split(':').slice(0, 3).filter((_, i) => i !== 1))).to.deep.equal([['1', 'e'], ['2', 'e'], ['3', 'e']]);
    } finally {
      stet.close();
      await sb.close();
    }
  });

  it('BANK-RATE-04 a call aborted while it waits for its moment is not sent (BankCallAbortedError) and leaves no hole: the next request follows at once', async () => {
    const sb = await startSandbox();
    const limiter = new BankRateLimiter(client, { prefix: '{rate}', requestsPerSecond: 2 });
    const stet = clientFor(sb, { beforeRequest: async (s) => (await limiter.acquire(s)).end });
    try {
      await stet.authenticate(); // request 1 (chain 1)
      const second = await limiter.acquire(); // request 2 (chain 0), held: its answer has not come
      const ac = new AbortController();
      setTimeout(() => ac.abort(new Error('job lock lost')), 100);
      // Request 3 (chain 1) waits for a second after request 1's end: aborted before.
      const err = await stet.paymentRequests.create(paymentRequest({ now: sb.now() }), { signal: ac.signal }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(BankCallAbortedError);
      expect((err as Error).message).to.match(/while waiting for the bank's rate limit: it was not sent/);
      expect(sb.requests().map((r) => `${r.method} ${r.path}`)).to.deep.equal(['POST /stet/psd2/oauth/token']);
      // Request 5 (chain 1 again) only follows request 1's answer, not the aborted 3's end, nor its expiry.
      second.end({ answered: true });
      await client.ping();
      const ring = await client.hgetall(bankRateKey('{rate}'));
      const end1 = Number(ring['1']!.split(':')[3]); // what 3 passed on: request 1's end
      const fourth = await limiter.acquire();
      const fifth = await limiter.acquire();
      expect(fourth.seq).to.equal(4);
      expect(fifth.seq).to.equal(5);
      // Request 5 left paced 500 ms after request 4: a hole (3 pending) would have held it until 37 s after 3's moment.
      expect(fifth.at - fourth.at).to.be.closeTo(500, 0.01);
      expect(fifth.at).to.be.above(end1 + GAP_MS);
      fourth.end({ answered: true });
      fifth.end({ answered: true });
    } finally {
      stet.close();
      await sb.close();
    }
  });

  it('BANK-RATE-05 a wait aborted while request n - R is still in flight takes no number', async () => {
    const limiter = new BankRateLimiter(client, { prefix: '{rate}', requestsPerSecond: 1 });
    const first = await limiter.acquire();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    expect(await limiter.acquire(ac.signal).catch((e: unknown) => e)).to.be.instanceOf(BankRateWaitAbortedError);
    expect(await client.hget(bankRateKey('{rate}'), 'seq')).to.equal('1');
    const started = Date.now();
    setTimeout(() => first.end({ answered: true }), 200);
    const second = await limiter.acquire();
    expect(second.seq).to.equal(2);
    expect(Date.now() - started).to.be.within(200 + GAP_MS - 10, 200 + GAP_MS + 400);
    second.end({ answered: true });
  });

  it('BANK-RATE-06 Redis not answering: the request is held back as BankUnreachableError (nothing sent, safe to retry)', async () => {
    const sb = await startSandbox();
    const dead = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    const limiter = new BankRateLimiter(dead, { prefix: '{rate}', requestsPerSecond: 50 });
    const stet = clientFor(sb, { beforeRequest: async (s) => (await limiter.acquire(s)).end });
    try {
      const err = await stet.paymentRequests.create(paymentRequest({ now: sb.now() })).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(BankUnreachableError);
      expect((err as BankUnreachableError).reason).to.equal('rate-limit');
      expect((err as Error).message).to.match(/^POST \/stet\/psd2\/oauth\/token was not sent: the bank's shared rate limit could not be asked \(.+\): nothing was sent; try again once Redis answers\.$/);
      expect(mayHaveReachedBank(err)).to.equal(false);
      expect(sb.requests()).to.deep.equal([]);
    } finally {
      stet.close();
      dead.disconnect();
      await sb.close();
    }
  });

  it('BANK-RATE-07 a process that died holding a request: the request counts as ended at its moment + the expiry, then the chain goes on', async () => {
    const opts = { requestTimeoutMs: 300, maxLateMs: 200 }; // expiry 300 + 200 + 1,000 = 1,500 ms
    const dead = await child<{ seq: number; at: number }>(redis.url, { R: '1', EXIT_HOLDING: '1', OPTS: JSON.stringify(opts) });
    expect(dead.seq).to.equal(1);
    const limiter = new BankRateLimiter(client, { prefix: '{rate}', requestsPerSecond: 1, ...opts });
    const next = await limiter.acquire();
    expect(next.seq).to.equal(2);
    expect(next.at - dead.at).to.be.within(1500 + GAP_MS - 0.01, 1500 + GAP_MS + 100);
    expect(Date.now()).to.be.at.least(next.at);
    next.end({ answered: true });
  });

  it('BANK-RATE-08 a request that failed still reports its end: an error answer at once, a dropped connection a second later (the bank may still read it)', async () => {
    const sb = await startSandbox();
    const limiter = new BankRateLimiter(client, { prefix: '{rate}', requestsPerSecond: 50 });
    const stet = clientFor(sb, { beforeRequest: async (s) => (await limiter.acquire(s)).end });
    const endOf = async (seq: number) => {
      await client.ping();
      const [n, t, state] = (await client.hget(bankRateKey('{rate}'), String(seq)))!.split(':');
      return { n: Number(n), t: Number(t), state };
    };
    try {
      await stet.authenticate(); // 1
      sb.setFaults({ script: [500, 'drop'] });
      let before = Date.now();
      expect(await stet.paymentRequests.create(paymentRequest({ now: sb.now() })).catch((e: unknown) => e)).to.be.instanceOf(BankTransientError); // 2: 500
      let after = Date.now();
      const answered = await endOf(2);
      expect(answered.state).to.equal('e');
      expect(answered.t).to.be.within(before, after + 50);
      before = Date.now();
      expect(await stet.paymentRequests.create(paymentRequest({ now: sb.now() })).catch((e: unknown) => e)).to.be.instanceOf(BankTransientError); // 3: dropped
      after = Date.now();
      const dropped = await endOf(3);
      expect(dropped.state).to.equal('e');
      expect(dropped.t).to.be.within(before + UNANSWERED_GRACE_MS, after + UNANSWERED_GRACE_MS + 50);
    } finally {
      stet.close();
      await sb.close();
    }
  });

  it('BANK-RATE-09 three limiters against the sandbox in a process of its own, stalled twice (SIGSTOP, 1.5 s then 0.4 s): no 429, never more than R in a sliding second', async function () {
    const R = 20;
    const bank = await startBankProcess({ certsDir: mkdtempSync(join(tmpdir(), 'stetpay-rate-certs-')), requestsPerSecond: R, faults: { latencyMs: 5 } });
    const c = bank.certs;
    const clients = [0, 1, 2].map(() => {
      const redisOf = new Redis(redis.url);
      const limiter = new BankRateLimiter(redisOf, { prefix: '{rate}', requestsPerSecond: R });
      const stet = new StetClient({
        baseUrl: bank.apiBaseUrl, tokenUrl: bank.tokenUrl, clientId: c.organisationId,
        qwacCert: readFileSync(c.qwacCertPath), qwacKey: readFileSync(c.qwacKeyPath), ca: readFileSync(c.caCertPath),
        qsealKey: readFileSync(c.qsealKeyPath), qsealKeyId: c.qsealKeyId, profile: getBankProfile('nwm-18919'),
        beforeRequest: async (s) => (await limiter.acquire(s)).end,
      });
      return { redisOf, stet };
    });
    const stall = (at: number, ms: number) =>
      new Promise<void>((resolve) => setTimeout(() => {
        process.kill(bank.pid, 'SIGSTOP');
        setTimeout(() => (process.kill(bank.pid, 'SIGCONT'), resolve()), ms);
      }, at));
    try {
      const per = 40;
      const started = Date.now();
      await Promise.all([
        stall(1200, 1500),
        stall(4000, 400),
        ...clients.map(async ({ stet }) => {
          let left = per;
          await Promise.all(Array.from({ length: 8 }, async () => {
            while (left-- > 0) await stet.paymentRequests.retrieve(`missing-${left}`).catch(() => undefined);
          }));
        }),
      ]);
      const ms = Date.now() - started;
      const log = await bank.requests();
      expect(log.filter((e) => e.status === 429)).to.deep.equal([]);
      expect(log).to.have.length(3 * per + 3); // every GET and one token per client
      expect(busiest(log.map((e) => Date.parse(e.at)), 1000)).to.be.at.most(R);
      // 123 requests at 20/s with chains of 1 s + a few ms: about 6 s, plus the 1.9 s of stalls.
      expect(ms).to.be.below(12_000);
    } finally {
      process.kill(bank.pid, 'SIGCONT');
      for (const { redisOf, stet } of clients) {
        stet.close();
        redisOf.disconnect();
      }
      await bank.close();
    }
  });
});
