import type { BackoffStrategy } from 'bullmq';

/** Options of {@link createSubmitBackoff}. */
export interface SubmitBackoffOptions {
  /** Ms before the first retry; doubles each time. @defaultValue 5000 */
  baseDelayMs?: number;
  /** Ms cap of one wait. @defaultValue 300000 */
  maxDelayMs?: number;
  /** Fraction 0..1 of random reduction so workers do not retry in step. @defaultValue 0.3 */
  jitter?: number;
}

/**
 * Exponential back-off with jitter, capped: for transient bank failures
 * (5xx, time-outs). The retry re-sends the SAME body and ids.
 */
export function createSubmitBackoff(opts: SubmitBackoffOptions = {}): BackoffStrategy {
  const base = opts.baseDelayMs ?? 5000;
  const cap = opts.maxDelayMs ?? 300_000;
  const jitter = Math.min(Math.max(opts.jitter ?? 0.3, 0), 1);
  return (attemptsMade: number) => {
    const raw = Math.min(base * 2 ** Math.max(attemptsMade - 1, 0), cap);
    return Math.max(1, Math.round(raw * (1 - jitter * Math.random())));
  };
}
