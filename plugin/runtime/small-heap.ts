import { setFlagsFromString } from 'node:v8';

/**
 * Asks V8 to collect garbage sooner, for the commands that go through every bill (`run`, `worker`
 * with its nightly run, `sync --wait`). They hold one page of bills at a time (some 35 MB live at
 * 100k bills), but V8 lets garbage pile up to several times that between major collections: at
 * 100,000 bills `stetpay run` peaked at 328 MiB without it and 160 MiB with it, for about a fifth
 * more CPU in the run (BENCHMARKS.md, P4); the worker went from 265 MiB to 158 MiB over a 5,000-bill
 * nightly run. A GC heuristic: it changes no result.
 */
export function favourSmallHeap(): void {
  setFlagsFromString('--optimize-for-size');
}
