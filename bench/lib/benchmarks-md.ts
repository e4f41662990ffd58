/** Appends one benchmark's section to BENCHMARKS.md at the repository root. */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from './benchmark.js';
import { machineLines, type MachineInfo } from './machine-info.js';
import { markdownTable } from './table.js';

const HEADER = `# stetpay benchmarks

Appended by \`npm run bench\` (see docs/bench.md): one section per benchmark run,
newest last, with the machine it ran on. Misses are kept, with by how much.
Absolute times are notes only: they depend on the machine and its load.
`;

export interface SectionInput {
  id: string;
  title: string;
  quick: boolean;
  date: Date;
  machine: MachineInfo;
  result: BenchResult;
}

export function sectionMarkdown(s: SectionInput): string {
  const lines = [
    '',
    `## ${s.id} ${s.title}${s.quick ? ' (quick smoke run, small N)' : ''}`,
    '',
    `- date: ${s.date.toISOString()}`,
    ...machineLines(s.machine),
    '',
    markdownTable(s.result.rows),
    '',
  ];
  if (s.result.notes.length) lines.push(...s.result.notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}

export function appendSection(root: string, s: SectionInput): string {
  const file = join(root, 'BENCHMARKS.md');
  if (!existsSync(file)) writeFileSync(file, HEADER);
  appendFileSync(file, sectionMarkdown(s));
  return file;
}
