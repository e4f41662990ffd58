import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { BankCallAbortedError, BankUnreachableError } from '../../connector/stet/errors/bank-error.js';
import { BankRateLimiter, bankRateKey, DEFAULT_MARGIN_MS } from '../../worker/bank-rate/bank-rate-limiter.js';
import { mayHaveReachedBank } from '../../worker/classify-submit-error.js';
import type { RunningBankSandbox } from '../../sandbox/bank/index.js';
import { clientFor, startSandbox } from '../bank/harness.js';
import { paymentRequest } from '../bank/fixtures.js';
import type { TestRedis } from '../support/redis-server.js';
import { redisClientPerSuite } from '../support/redis-per-suite.js';

const LIMITER_URL = new URL('../../worker/bank-rate/bank-rate-limiter.js', import.meta.url).href;
const CONNECTION_URL = new URL('../../worker/connection.js', import.meta.url).href;

/** A process of its own asking `n` moments at once; prints each moment and the local time it was let go. */
const CHILD = `
const { BankRateLimiter } = await import(process.env.LIMITER_URL);
const { createRedisConnection } = await import(process.env.CONNECTION_URL);
const redis = createRedisConnection(process.env.REDIS_URL, 'producer');
await new Promise((r) => redis.once('ready', r));
const limiter = new BankRateLimiter(redis, { prefix: '{rate}', requestsPerSecond: Number(process.env.R) });
const out = await Promise.all(Array.from({ length: Number(process.env.N) }, async () => { const at = await limiter.acquire(); return { at, left: Date.now() }; }));
process.stdout.write(JSON.stringify({ out, givenUp: limiter.givenUp }));
redis.disconnect();
`;

interface ChildResult {
  out: { at: number; left: number }[];
  givenUp: number;
}

function child(redisUrl: string, r: number, n: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
      env: { PATH: process.env.PATH, LIMITER_URL, CONNECTION_URL, REDIS_URL: redisUrl, R: String(r), N: String(n) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

/** Most times of `sorted` inside any half-open window [t, t + ms). */
function busiest(sorted: number[], ms: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('bank rate limit shared in Redis (worker/bank-rate, BANK-RATE)', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let client: Redis;
  redisClientPerSuite((r) => ({ redis, client } = r));
  beforeEach(() => client.flushall());

  it('BANK-RATE-01 never allows more than R calls in any sliding second across two processes, and uses all R', async () => {
    const R = 20;
    const interval = (1000 + DEFAULT_MARGIN_MS) / R; // 51.5 ms
    const [a, b] = await Promise.all([child(redis.url, R, 50), child(redis.url, R, 50)]);
    const moments = [...a!.out, ...b!.out].map((x) => x.at).sort((x, y) => x - y);
    const left = [...a!.out, ...b!.out].map((x) => x.left).sort((x, y) => x - y);
    expect(moments).to.have.length(100);
    // Reserved moments: evenly spaced, never closer than 1/R of a second plus the margin.
    for (let i = 1; i < moments.length; i++) expect(moments[i]! - moments[i - 1]!, `moment ${i}`).to.be.at.least(interval - 0.002);
    expect(busiest(moments, 1000)).to.equal(R);
    // Never before its moment (a timer may fire early after a long turn of the event loop; Redis' clock is the machine's).
    for (const x of [...a!.out, ...b!.out]) expect(x.left, `moment ${x.at}`).to.be.at.least(Math.floor(x.at));
    // When the calls were let go, on the machine's clock (a late wake-up reserves again): never R + 1 in a second.
    expect(busiest(left, 1000)).to.be.at.most(R);
    // Once both processes wait, no moment is lost but those given up by a late wake-up: the last 60 moments are
    // whole intervals apart (to Redis' microsecond, in 3 decimals), and the missing ones were given up.
    const saturated = moments.slice(moments.length - 60);
    const skipped = saturated.slice(1).map((m, i) => (m - saturated[i]!) / interval - 1);
    for (const k of skipped) expect(Math.abs(k - Math.round(k))).to.be.below(0.001);
    expect(skipped.reduce((x, k) => x + Math.round(k), 0)).to.be.at.most(a!.givenUp + b!.givenUp);
    // Both processes shared the budget.
    expect(a!.out).to.have.length(50);
    expect(b!.out).to.have.length(50);
  });

  it('BANK-RATE-02 one moment per (1,000 ms + the margin) / R: 20.6 ms at 50/s, 5.15 ms at 200/s, 2,060 ms at 0.5/s', () => {
    const at = (r: number) => new BankRateLimiter(client, { prefix: '{rate}', requestsPerSecond: r }).intervalMs;
    expect(at(50)).to.equal(20.6);
    expect(at(200)).to.equal(5.15);
    expect(at(0.5)).to.equal(2060);
  });

  it('BANK-RATE-03 every request of the STET client waits for it: the token, the POST and the GET, each once', async () => {
    const sb: RunningBankSandbox = await startSandbox();
    const limiter = new BankRateLimiter(client, { prefix: '{rate}', requestsPerSecond: 50 });
    let waits = 0;
    const stet = clientFor(sb, { beforeRequest: async (s) => void (waits++, await limiter.acquire(s)) });
    try {
      const created = await stet.paymentRequests.create(paymentRequest({ now: sb.now() }));
      await stet.paymentRequests.retrieve(created.meta.resourceId!);
      expect(sb.requests().map((r) => r.method)).to.deep.equal(['POST', 'POST', 'GET']);
      expect(waits).to.equal(3);
      expect(Number(await client.get(bankRateKey('{rate}')))).to.be.greaterThan(Date.now() - 1000); // the next free moment
    } finally {
      stet.close();
      await sb.close();
    }
  });

  it('BANK-RATE-04 a call aborted while it waits for its moment is not sent (BankCallAbortedError)', async () => {
    const sb = await startSandbox();
    const limiter = new BankRateLimiter(client, { prefix: '{rate}', requestsPerSecond: 1 });
    const stet = clientFor(sb, { beforeRequest: async (s) => void (await limiter.acquire(s)) });
    try {
      await stet.authenticate(); // the token takes the second's one request: the POST waits about a second
      const ac = new AbortController();
      setTimeout(() => ac.abort(new Error('job lock lost')), 100);
      const err = await stet.paymentRequests.create(paymentRequest({ now: sb.now() }), { signal: ac.signal }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(BankCallAbortedError);
      expect((err as Error).message).to.match(/while waiting for the bank's rate limit: it was not sent/);
      expect(sb.requests().map((r) => `${r.method} ${r.path}`)).to.deep.equal(['POST /stet/psd2/oauth/token']);
    } finally {
      stet.close();
      await sb.close();
    }
  });

  it('BANK-RATE-05 Redis not answering: the request is held back as BankUnreachableError (nothing sent, safe to retry)', async () => {
    const sb = await startSandbox();
    const dead = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    const limiter = new BankRateLimiter(dead, { prefix: '{rate}', requestsPerSecond: 50 });
    const stet = clientFor(sb, { beforeRequest: async (s) => void (await limiter.acquire(s)) });
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
});
