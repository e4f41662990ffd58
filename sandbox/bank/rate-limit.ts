/** A sliding one-second window over real time (not the sandbox clock): more than N in a second -> 429 TMRQ. */
export class RateLimiter {
  private stamps: number[] = [];
  constructor(private readonly perSecond: number | undefined) {}

  /** True when the request may pass (and counts it). */
  take(nowMs = Date.now()): boolean {
    if (!this.perSecond || this.perSecond <= 0) return true;
    this.stamps = this.stamps.filter((t) => nowMs - t < 1000);
    if (this.stamps.length >= this.perSecond) return false;
    this.stamps.push(nowMs);
    return true;
  }

  reset(): void {
    this.stamps = [];
  }
}
