/**
 * `npm run bench` / `node dist/bench/run.js [P1 P2 ...] [--quick] [--no-append]`:
 * runs the chosen benchmarks (all by default) one after the other, prints each
 * one's table on stdout and appends it to BENCHMARKS.md at the repository root.
 * Progress goes to stderr. Exit code 0 when every benchmark ran (misses are
 * results, not failures), 1 when one crashed, 2 on a bad argument.
 */
import type { Benchmark, BenchResult } from './lib/benchmark.js';
import { appendSection } from './lib/benchmarks-md.js';
import { machineInfo, machineLines } from './lib/machine-info.js';
import { findRepoRoot } from './lib/repo-root.js';
import { textTable } from './lib/table.js';
import { p1OdooRoundTrips } from './p1-odoo-round-trips.js';
import { p2PipelineOverhead } from './p2-pipeline-overhead.js';
import { p3RateLimit } from './p3-rate-limit.js';
import { p4Memory } from './p4-memory.js';
import { p5Night } from './p5-night.js';
import { p6OdooLife } from './p6-odoo-life.js';

export const BENCHMARKS: Benchmark[] = [p1OdooRoundTrips, p2PipelineOverhead, p3RateLimit, p4Memory, p5Night, p6OdooLife];

export interface BenchArgs {
  ids: string[];
  quick: boolean;
  append: boolean;
}

export function parseArgs(argv: string[]): BenchArgs {
  const known = new Set(BENCHMARKS.map((b) => b.id));
  const ids: string[] = [];
  let quick = false;
  let append = true;
  for (const a of argv) {
    if (a === '--quick') quick = true;
    else if (a === '--no-append') append = false;
    else if (known.has(a.toUpperCase())) ids.push(a.toUpperCase());
    else throw new Error(`unknown argument '${a}': give benchmark ids (${[...known].join(' ')}), --quick or --no-append`);
  }
  return { ids: ids.length ? [...new Set(ids)] : [...known], quick, append };
}

export async function main(argv: string[]): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    return 2;
  }
  const root = findRepoRoot();
  const machine = machineInfo(root);
  process.stdout.write(`stetpay benchmarks ${args.ids.join(' ')}${args.quick ? ' (quick)' : ''}\n${machineLines(machine).join('\n')}\n`);
  let crashed = false;
  for (const bench of BENCHMARKS.filter((b) => args.ids.includes(b.id))) {
    const date = new Date();
    let result: BenchResult;
    try {
      result = await bench.run({ quick: args.quick, log: (m) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${m}\n`) });
    } catch (e) {
      crashed = true;
      process.stderr.write(`bench: ${bench.id} crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      continue;
    }
    process.stdout.write(`\n${bench.id} ${bench.title}${args.quick ? ' (quick)' : ''}\n${textTable(result.rows)}\n`);
    for (const n of result.notes) process.stdout.write(`  - ${n}\n`);
    if (args.append) {
      const file = appendSection(root, { id: bench.id, title: bench.title, quick: args.quick, date, machine, result });
      process.stdout.write(`  (appended to ${file})\n`);
    }
  }
  return crashed ? 1 : 0;
}

// exit explicitly: a library's lingering handle must not keep a finished run alive
process.exit(await main(process.argv.slice(2)));
