/**
 * How many write-back items the drainer takes next, from how long its last
 * write to Odoo took (issue 15): a real Odoo 17 took up to 8.3 s for one
 * 500-row `load`, the dev server a few ms. The drainer aims each write at a
 * target duration: a slow Odoo gets smaller calls, a fast one big batches.
 */

/** The bounds and the aim of the sizing (the drainer's options). */
export interface BatchSizing {
  /** What one batch's write should take, ms. */
  targetMs: number;
  /** Never fewer items a batch (below it the fixed cost of each call dominates). */
  min: number;
  /** Never more (the configured `batchSize`). */
  max: number;
}

/** The last write: how many list items it carried, how long it took, whether Odoo confirmed it. */
export interface WriteTiming {
  items: number;
  ms: number;
  ok: boolean;
}

/**
 * The next batch size. Slower than the target (confirmed or not: a write that
 * timed out was too big as well): the size that would have taken the target at
 * the rate just seen. Faster and confirmed: grows towards that size, at most
 * doubling a batch, so one fast write on a quiet moment does not jump back to
 * the maximum. A fast failure (Odoo down) says nothing about size: unchanged.
 * Always within [min, max].
 */
export function nextBatchSize(current: number, last: WriteTiming, s: BatchSizing): number {
  const clamp = (n: number): number => Math.min(s.max, Math.max(s.min, Math.floor(n)));
  if (last.items <= 0) return clamp(current);
  if (last.ms > s.targetMs) return clamp((last.items * s.targetMs) / last.ms);
  if (!last.ok) return clamp(current);
  const fits = last.ms <= 0 ? Infinity : (last.items * s.targetMs) / last.ms;
  return clamp(Math.max(current, Math.min(2 * current, fits)));
}
