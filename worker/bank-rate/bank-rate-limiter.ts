/**
 * BANK-RATE: one budget for every request stetpay makes to the bank (token,
 * POST, GET, PUT, confirmation), shared by every worker process and command
 * through Redis. The bank counts requests in a sliding second and answers 429
 * above R; each 429 pauses the submit queue for the bank's Retry-After.
 *
 * Each request reserves its moment in Redis (`reserveBankSlot-1.lua`, one
 * round trip, Redis' clock) and sleeps until it. Moments are evenly spaced,
 * (1000 + marginMs) / R ms apart, so any R + 1 of them span more than a second
 * plus the margin: a request reaches the bank a little after its moment (the
 * rest of the event loop's turn, the TLS write, the bank's own loop), and the
 * margin absorbs the difference between two requests' delays. A burst of R at
 * once would not: the bank serves it over time and stamps its last requests
 * late, into the next second's. A request that wakes more than `lateMs` after
 * its moment (a busy event loop) gives it up and reserves again: an unused
 * moment only leaves the bank more room.
 */
import type { RedisClient } from '../connection.js';
import { loadScript } from '../commands/load-script.js';

export interface BankRateLimiterOptions {
  /** The queues' prefix (its hash tag keeps the key with the queues' on a cluster). */
  prefix: string;
  /** The bank's limit: requests in any sliding second. */
  requestsPerSecond: number;
  /** Added to the second. @defaultValue {@link DEFAULT_MARGIN_MS} */
  marginMs?: number;
  /** A wake-up later than this after the reserved moment reserves again. @defaultValue {@link DEFAULT_LATE_MS} */
  lateMs?: number;
}

/**
 * 30 ms a second: 97% of R at most (docs/bench.md, P3). 10 ms more than `DEFAULT_LATE_MS`, for the way
 * from the late check to the wire (the rest of the event loop's turn, signing, the write): with the
 * margin equal to the lateness, two processes' calls could leave R + 1 in a second on a loaded machine.
 */
export const DEFAULT_MARGIN_MS = 30;
/**
 * 20 ms, less than the margin. A request late by less than the margin cannot make R + 1
 * in any second at the bank on its own: the R-th request after it leaves at
 * least 1,000 + margin ms after its moment. Later than that, a 429 (and the
 * queue's pause for Retry-After) costs more than the moment given up. Not less:
 * on a busy machine every timer fires late, and each moment given up is one
 * the bank never gets (BENCHMARKS.md, P3 with 10 ms: 940 moments given up for
 * 752 payments under a load of 15 on 2 cores).
 */
export const DEFAULT_LATE_MS = 20;

/** Waiting for a moment was stopped by the caller's signal: nothing was sent. */
export class BankRateWaitAbortedError extends Error {
  override name = 'BankRateWaitAbortedError';
}

export function bankRateKey(prefix: string): string {
  return `${prefix}:stetpay:bank-rate`;
}

/** How many moments were given up, by every process (what docs/bench.md reads to explain a rate under R). */
export function bankRateGivenUpKey(prefix: string): string {
  return `${prefix}:stetpay:bank-rate:given-up`;
}

export class BankRateLimiter {
  /** Ms between two moments. */
  readonly intervalMs: number;
  /** Moments this limiter reserved then gave up, having woken too late for them. */
  givenUp = 0;
  private readonly lateMs: number;
  private readonly key: string;
  private readonly givenUpKey: string;

  constructor(private readonly redis: RedisClient, opts: BankRateLimiterOptions) {
    const r = Math.max(opts.requestsPerSecond, 0.001);
    this.intervalMs = (1000 + (opts.marginMs ?? DEFAULT_MARGIN_MS)) / r;
    this.lateMs = opts.lateMs ?? DEFAULT_LATE_MS;
    this.key = bankRateKey(opts.prefix);
    this.givenUpKey = bankRateGivenUpKey(opts.prefix);
  }

  /**
   * Resolves when a request may leave now, with its moment (ms epoch, Redis' clock); rejects with
   * BankRateWaitAbortedError when `signal` aborts first, or with Redis' error.
   */
  async acquire(signal?: AbortSignal): Promise<number> {
    for (let late = false; ; late = true) {
      if (signal?.aborted) throw new BankRateWaitAbortedError('the wait for the bank rate limit was aborted: nothing was sent');
      const [at, now] = (await this.redis.eval(loadScript('reserveBankSlot-2'), 2, this.key, this.givenUpKey, this.intervalMs, late ? 1 : 0)) as [string, string];
      const due = Math.ceil(Date.now() + (Number(at) - Number(now)));
      // A timer can fire early: Node dates it from the event loop's cached time, older than now after a
      // long turn. Sleep again until the moment has truly come; never leave before it.
      while (Date.now() < due) await sleep(due - Date.now(), signal);
      if (Date.now() - due <= this.lateMs) return Number(at);
      this.givenUp++;
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new BankRateWaitAbortedError('the wait for the bank rate limit was aborted: nothing was sent'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
