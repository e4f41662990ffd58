/**
 * What every benchmark (P1..P5) gives the runner: rows for the table and notes
 * (absolute times, explanations of misses, what could not be measured).
 */

/** How a measured value is judged against its target. */
export type TargetOp = '<=' | '<' | '>=';

export interface Target {
  op: TargetOp;
  value: number;
  /** Unit shown after the numbers, e.g. 'calls', 'MB', 'B/payment', '' for a ratio. */
  unit: string;
}

/** One line of a benchmark's table. */
export interface BenchRow {
  /** What was measured, e.g. 'read 10,000 bills'. */
  case: string;
  target: Target;
  /** The measured value; null when it was not measured (then `notMeasured` says why). */
  measured: number | null;
  /** Why nothing was measured: printed instead of a made-up figure. */
  notMeasured?: string;
  /** Short remark for this row (e.g. the wall time), not judged. */
  note?: string;
}

export interface BenchResult {
  rows: BenchRow[];
  /** Paragraphs printed under the table and appended to BENCHMARKS.md. */
  notes: string[];
}

export interface BenchContext {
  /** Small N for a smoke run. */
  quick: boolean;
  /** Progress lines (stderr), so stdout holds only the tables. */
  log(message: string): void;
}

export interface Benchmark {
  /** 'P1'..'P5' */
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

/** A row for something that cannot be measured yet, with the reason. */
export function notMeasuredRow(kase: string, target: Target, why: string): BenchRow {
  return { case: kase, target, measured: null, notMeasured: why };
}

/**
 * Measures one case of a benchmark into `into`. When it fails, the benchmark
 * goes on: the reason is logged as `<label> failed: <why>` and the case's rows
 * (`missed`) are recorded not measured, with that reason.
 */
export async function measureCase(into: BenchResult, ctx: BenchContext, label: string, measure: () => Promise<BenchResult>, missed: (why: string) => BenchRow[]): Promise<void> {
  try {
    const r = await measure();
    into.rows.push(...r.rows);
    into.notes.push(...r.notes);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    ctx.log(`${label} failed: ${why}`);
    into.rows.push(...missed(why));
  }
}
