/** Fault injection: what the next API call suffers, from a script or seeded rates. */
import { seededRandom } from '../seeded-random.js';
import type { BankFaults, ScriptedFault } from './types.js';

export type FaultDecision = ScriptedFault;

export class FaultEngine {
  private faults: BankFaults = {};
  private random: () => number = seededRandom(1);

  constructor(initial?: BankFaults) {
    this.set(initial ?? {});
  }

  /** Replaces the faults; a new seed (or the default) restarts the draws. */
  set(f: BankFaults): void {
    this.faults = { ...f, script: f.script ? [...f.script] : undefined };
    this.random = seededRandom(f.seed ?? 1);
  }

  /** Merges into the current faults (admin API POST). */
  merge(f: BankFaults): void {
    const seedChanged = f.seed !== undefined && f.seed !== this.faults.seed;
    this.faults = { ...this.faults, ...f, script: f.script ? [...f.script] : this.faults.script };
    if (seedChanged) this.random = seededRandom(f.seed as number);
  }

  current(): BankFaults {
    return { ...this.faults, script: this.faults.script ? [...this.faults.script] : undefined };
  }

  /** The API gateway is down (every token and API call gets 503; the fallback still answers). */
  get outage(): boolean {
    return this.faults.outage === true;
  }

  get latencyMs(): number {
    return Math.max(0, this.faults.latencyMs ?? 0);
  }

  /** `isPost`: a POST /payment-requests, the only call where record-then-drop makes sense. */
  decide(isPost: boolean): FaultDecision {
    const scripted = this.faults.script?.shift();
    if (scripted !== undefined) return scripted === 'recordThenDrop' && !isPost ? 'drop' : scripted;
    const f = this.faults;
    const rates: Array<[number | undefined, FaultDecision]> = [
      [f.dropRate, 'drop'],
      [isPost ? f.recordThenDropRate : 0, 'recordThenDrop'],
      [f.error500Rate, 500],
      [f.error503Rate, 503],
    ];
    if (rates.every(([r]) => !r)) return 'pass';
    let x = this.random();
    for (const [rate, decision] of rates) {
      if (!rate) continue;
      if (x < rate) return decision;
      x -= rate;
    }
    return 'pass';
  }
}
