/**
 * What `stetpay doctor` found: one check per line, OK, FAIL (with the fix) or
 * SKIP (a check that could not run because an earlier one failed). The doctor
 * passes only when every check is OK.
 */
export type CheckStatus = 'ok' | 'fail' | 'skip';

export interface DoctorCheck {
  /** Stable id, e.g. `odoo.login`, `redis.eviction`, `bank.token` (what `--json` and scripts match). */
  id: string;
  status: CheckStatus;
  /** What was found, one sentence. */
  detail: string;
  /** For a FAIL: what to do. */
  fix?: string;
}

export interface DoctorReport {
  /** True when every check is OK. */
  ok: boolean;
  checks: DoctorCheck[];
}

export const ok = (id: string, detail: string): DoctorCheck => ({ id, status: 'ok', detail });
export const fail = (id: string, detail: string, fix: string): DoctorCheck => ({ id, status: 'fail', detail, fix });
export const skip = (id: string, detail: string): DoctorCheck => ({ id, status: 'skip', detail });

export function report(checks: DoctorCheck[]): DoctorReport {
  return { ok: checks.length > 0 && checks.every((c) => c.status === 'ok'), checks };
}

const LABEL: Record<CheckStatus, string> = { ok: 'OK  ', fail: 'FAIL', skip: 'SKIP' };

/** `OK   odoo.login         logged in as …` / `FAIL redis.eviction     … Fix: …` */
export function formatCheck(c: DoctorCheck): string {
  return `${LABEL[c.status]} ${c.id.padEnd(18)} ${c.detail}${c.fix ? ` Fix: ${c.fix}` : ''}`;
}

export function formatReport(r: DoctorReport): string {
  const failed = r.checks.filter((c) => c.status === 'fail').length;
  const skipped = r.checks.filter((c) => c.status === 'skip').length;
  const last = r.ok ? `All ${r.checks.length} checks passed.` : `${failed} check(s) failed${skipped ? `, ${skipped} skipped` : ''}: fix them and run stetpay doctor again.`;
  return [...r.checks.map(formatCheck), '', last].join('\n');
}
