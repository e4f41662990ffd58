/** Pure judgement of a measured value against its target: ratio, PASS/MISS, miss by. */
import type { Target } from './benchmark.js';

export type Outcome = 'PASS' | 'MISS' | 'NOT MEASURED';

export interface Verdict {
  outcome: Outcome;
  /** measured / target; null when not measured or the target is 0. */
  ratio: number | null;
  /** How far from the target, e.g. '+12 calls (+8.0%)'; '' when passed. */
  missBy: string;
}

export function passes(target: Target, measured: number): boolean {
  switch (target.op) {
    case '<=':
      return measured <= target.value;
    case '<':
      return measured < target.value;
    case '>=':
      return measured >= target.value;
  }
}

export function judge(target: Target, measured: number | null): Verdict {
  if (measured === null || !Number.isFinite(measured)) return { outcome: 'NOT MEASURED', ratio: null, missBy: '' };
  const ratio = target.value === 0 ? null : measured / target.value;
  if (passes(target, measured)) return { outcome: 'PASS', ratio, missBy: '' };
  const diff = measured - target.value;
  if (diff === 0) return { outcome: 'MISS', ratio, missBy: `at the bound (must be ${target.op === '<' ? 'below' : 'beyond'} it)` };
  const pct = target.value === 0 ? '' : ` (${diff > 0 ? '+' : ''}${((diff / target.value) * 100).toFixed(1)}%)`;
  return { outcome: 'MISS', ratio, missBy: `${diff > 0 ? '+' : ''}${formatNumber(diff)}${target.unit ? ' ' + target.unit : ''}${pct}` };
}

/** Integers with thousands separators; other numbers with 3 significant decimals at most. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function formatTarget(target: Target): string {
  return `${target.op} ${formatNumber(target.value)}${target.unit ? ' ' + target.unit : ''}`;
}
