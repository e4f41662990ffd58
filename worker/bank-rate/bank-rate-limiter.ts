/**
 * BANK-RATE: one budget for every request stetpay makes to the bank (token,
 * POST, GET, PUT, confirmation), shared by every worker process and command
 * through Redis. The bank counts requests in a sliding second and answers 429
 * above R; each 429 pauses the submit queue for the bank's Retry-After.
 *
 * Anchored on the bank's answers, not on when requests leave. Requests take
 * sequence numbers n in Redis (`reserveBankSlot-1.lua`); when a request's
 * answer, error or time-out is observed, its end is stamped by Redis' clock
 * (`endBankSlot-1.lua`). Request n leaves no earlier than
 * max(now, the previous moment + 1000 / R, end(n - R) + 1000 ms + margin).
 *
 * Why no sliding second at the bank can hold R + 1: the bank stamps request k
 * somewhere between the moment it left and the moment its answer was observed
 * (no later than end(k)). So request k + R is stamped more than a second after
 * request k: each chain k, k + R, k + 2R... has at most one stamp in any second,
 * and there are R chains. This holds whatever the network and the bank's
 * stalls do (a starved bank that stamps a backlog at once included); only the
 * rates of the clocks matter, and the margin covers their granularity. A
 * request that leaves late only widens its own gaps. The cost: a chain turns
 * once per second plus the bank's latency, R x 1000 / (1000 + latency) a
 * second (0.99 R with a few ms, 0.95 R with 50 ms).
 *
 * The even pacing (1000 / R) spreads the first second's R requests instead of
 * sending them at once. A request that never ends (its process died) counts as
 * ended at its moment + `expiryMs`: later than it may leave (`maxLateMs`, else
 * it reserves again), plus the client's time-outs, plus a second. A request
 * sent but not answered (time-out, broken connection) ends a second later than
 * observed: the bank may still be reading it.
 */
import type { RedisClient } from '../connection.js';
import { loadScript } from '../commands/load-script.js';

export interface BankRateLimiterOptions {
  /** The queues' prefix (its hash tag keeps the key with the queues' on a cluster). */
  prefix: string;
  /** The bank's limit: requests in any sliding second. */
  requestsPerSecond: number;
  /**
   * The longest a request can be in flight once it has left: the client's connect plus response
   * time-outs. @defaultValue {@link DEFAULT_REQUEST_TIMEOUT_MS}
   */
  requestTimeoutMs?: number;
  /** Added to the second after a request's end, for clock granularity. @defaultValue {@link DEFAULT_MARGIN_MS} */
  marginMs?: number;
  /** A request woken later than this after its moment reserves again. @defaultValue {@link DEFAULT_MAX_LATE_MS} */
  maxLateMs?: number;
  /** How often a request asks again while request n - R has not ended. @defaultValue {@link DEFAULT_POLL_MS} */
  pollMs?: number;
}

/** 2 ms: the bank's clock counts whole ms, Redis' in µs. */
export const DEFAULT_MARGIN_MS = 2;
/**
 * 1 s. Not for the bank's sake (a late request only widens its gaps) but for a
 * dead process's: its request counts as ended at its moment + this + the
 * time-outs + 1 s, so it must not leave later than this after its moment.
 */
export const DEFAULT_MAX_LATE_MS = 1000;
/** The STET client's defaults: 5 s to connect + 30 s for the answer. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 35_000;
/**
 * 50 ms. While n - R is in flight, n could leave no earlier than a second after
 * its end anyway: learning of that end up to 50 ms late costs nothing.
 */
export const DEFAULT_POLL_MS = 50;
/** A request sent and not answered, or whose process died: the bank may still read it for this long. */
export const UNANSWERED_GRACE_MS = 1000;

/** Waiting for a moment was stopped by the caller's signal: nothing was sent. */
export class BankRateWaitAbortedError extends Error {
  override name = 'BankRateWaitAbortedError';
}

export function bankRateKey(prefix: string): string {
  return `${prefix}:stetpay:bank-rate:ring`;
}

/** A reserved request: call `end` once, when its answer, error or time-out was observed. */
export interface BankRateTicket {
  /** Its sequence number. */
  seq: number;
  /** Its moment, ms epoch on Redis' clock. */
  at: number;
  /** `answered`: the bank's answer (any status) came back; else it may still reach the bank. */
  end(o: { answered: boolean }): void;
}

export class BankRateLimiter {
  /** Ms between two moments (even pacing). */
  readonly intervalMs: number;
  /** R: the chains, and the requests any sliding second at the bank may hold. */
  readonly ring: number;
  /** From a request's moment to when it counts as ended if it never reports. */
  readonly expiryMs: number;
  private readonly gapMs: number;
  private readonly maxLateMs: number;
  private readonly pollMs: number;
  private readonly key: string;

  constructor(private readonly redis: RedisClient, opts: BankRateLimiterOptions) {
    const r = Math.max(opts.requestsPerSecond, 0.001);
    this.intervalMs = 1000 / r;
    this.ring = Math.max(1, Math.floor(r));
    this.gapMs = 1000 + (opts.marginMs ?? DEFAULT_MARGIN_MS);
    this.maxLateMs = opts.maxLateMs ?? DEFAULT_MAX_LATE_MS;
    this.pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
    this.expiryMs = this.maxLateMs + (opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) + UNANSWERED_GRACE_MS;
    this.key = bankRateKey(opts.prefix);
  }

  /**
   * Resolves when a request may leave now, with its ticket; rejects with BankRateWaitAbortedError when
   * `signal` aborts first (nothing reserved is left behind), or with Redis' error.
   */
  async acquire(signal?: AbortSignal): Promise<BankRateTicket> {
    for (;;) {
      if (signal?.aborted) throw aborted();
      const asked = Date.now();
      const reply = (await this.redis.eval(loadScript('reserveBankSlot-1'), 1, this.key, this.ring, this.intervalMs, this.gapMs, this.expiryMs)) as [number, number | string, string, string?];
      if (reply[0] !== 1) {
        // Request n - R is still in flight: nothing was taken; ask again.
        await sleep(Math.min(this.pollMs, Math.max(1, Number(reply[1]) - Number(reply[2]))), signal);
        continue;
      }
      const seq = Number(reply[1]);
      const at = Number(reply[2]);
      const redisNow = Number(reply[3]);
      // Both conversions to this machine's clock err on the safe side: `due` counts from after the
      // answer (never before the moment; + 1 as Date.now() is floored to the ms and Redis' clock is
      // in µs), `latest` from before the question (never too lenient).
      const due = Math.ceil(Date.now() + 1 + (at - redisNow));
      const latest = asked + (at - redisNow) + this.maxLateMs;
      try {
        // A timer can fire early: Node dates it from the event loop's cached time, older than now after a
        // long turn. Sleep again until the moment has truly come; never leave before it.
        while (Date.now() < due) await sleep(due - Date.now(), signal);
      } catch (err) {
        this.end(seq, 'unsent');
        throw err;
      }
      if (Date.now() <= latest) return this.ticket(seq, at);
      this.end(seq, 'unsent'); // woke too late for the expiry a dead process's request gets: reserve again
    }
  }

  private ticket(seq: number, at: number): BankRateTicket {
    let ended = false;
    return {
      seq,
      at,
      end: ({ answered }) => {
        if (ended) return;
        ended = true;
        this.end(seq, 'sent', answered ? 0 : UNANSWERED_GRACE_MS);
      },
    };
  }

  /** Records n's end. Not awaited: Redis' TIME when it runs is no earlier than what was observed. */
  private end(seq: number, how: 'sent' | 'unsent', graceMs = 0): void {
    // A failure here only delays request n + R to n's expiry: the request itself is over.
    this.redis.eval(loadScript('endBankSlot-1'), 1, this.key, seq, this.ring, how, graceMs).catch(() => undefined);
  }
}

function aborted(): BankRateWaitAbortedError {
  return new BankRateWaitAbortedError('the wait for the bank rate limit was aborted: nothing was sent');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted());
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
