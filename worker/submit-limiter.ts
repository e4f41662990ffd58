/**
 * The submit queue's BullMQ limiter for a bank that allows R requests per
 * second. BullMQ counts job starts in windows (`max` starts per `duration`
 * ms, one window after the other); a bank counts requests in a sliding second.
 * `{ max: R, duration: 1000 }` lets up to 2R through in some second (one
 * window's starts at its end, the next one's at its start), and even a steady
 * pace tips a second over R: the bank answers 429 and the whole queue pauses
 * for its Retry-After (1 s for NWM), which costs far more than a small margin.
 * Short windows of m starts, with any second touching at most
 * ceil(1000 / duration) + 1 windows, keep every second at or below R:
 * m x (ceil(1000 / duration) + 1) <= R. Among those, the fastest (at least
 * 92% of R from 20/s up; 95.2% at 50/s, 96.2% at 200/s).
 */
export interface SubmitLimiter {
  max: number;
  duration: number;
}

export function submitLimiter(requestsPerSecond: number): SubmitLimiter {
  const r = Math.floor(requestsPerSecond);
  // Below 2 per second no windows can promise it (two windows' starts may touch): one start per 2/R s.
  if (r < 2) return { max: 1, duration: Math.ceil(2000 / Math.max(requestsPerSecond, 0.001)) };
  let best: SubmitLimiter = { max: 1, duration: 1000 };
  let bestRate = 0;
  for (let m = 1; m <= Math.floor(r / 2); m++) {
    const windows = Math.floor(r / m) - 1; // most windows a second may touch
    const duration = Math.ceil(1000 / windows);
    const rate = (1000 * m) / duration;
    // A tie goes to more starts per window: fewer window turns, each losing a little time.
    if (rate >= bestRate - 1e-9) {
      best = { max: m, duration };
      bestRate = rate;
    }
  }
  return best;
}
