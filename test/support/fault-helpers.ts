/** Small helpers shared by the pipeline and fault scenarios (bank admin API, random timing). */
import { seededRandom } from '../../sandbox/seeded-random.js';
import type { Pipeline } from './pipeline-harness.js';

/** POST /admin/faults on the bank sandbox: merges into the current faults (as an operator would). */
export async function mergeBankFaults(p: Pipeline, faults: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${p.bank.adminUrl}/admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  if (!res.ok) throw new Error(`admin faults ${res.status}: ${await res.text()}`);
}

/** A seeded PRNG, so a failing scenario can be replayed (STETPAY_FAULTS_SEED). */
export function prng(seed = Number(process.env.STETPAY_FAULTS_SEED ?? 7)): () => number {
  return seededRandom(seed);
}

/** Logs a scenario's figures (the docs quote them). */
export function figures(label: string, f: Record<string, unknown>): void {
  console.log(`      [${label}] ${JSON.stringify(f)}`);
}
