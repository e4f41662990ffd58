/**
 * `stetpay status` without the terminal: what an operator checks in the
 * morning, from Redis, Odoo and (optionally) the bank, in a few calls. The
 * queues, the payments waiting for the signatory (oldest first), the bills a
 * person must look at, the dead letters, the last run, the next scheduled runs,
 * and whether the bank's API answers (with its fallback link when it does not).
 */
import type { BillStatus } from '../../connector/model/index.js';
import { readTrackedBills, type OdooClient } from '../../connector/odoo/index.js';
import { formatCents } from '../../connector/rules/index.js';
import { listSchedules, type StetpayQueues, type StoredSchedule } from '../../worker/index.js';
import { fallbackAdvice, type BankApiStatus } from '../connect/bank-status.js';
import { readLastRun, type LastRun } from '../run/last-run.js';

/** Bills in these statuses wait for a person: the status lists them. */
const FOR_A_PERSON: readonly BillStatus[] = ['needs_review', 'withdrawn', 'rejected', 'invalid', 'expired'];

/** At most this many payments waiting for consent are listed (all are counted). */
export const WAITING_LISTED = 10;

export interface WaitingPayment {
  billId: number;
  name: string;
  supplier: string | null;
  amountCents: number;
  executionDate: string | null;
  /** `YYYY-MM-DD HH:MM:SS` UTC: when it reached the bank (last update). */
  since: string | null;
  /** Whole hours since then. */
  hours: number | null;
}

export interface StetpayStatus {
  at: string;
  /** `forSignatory`: payments reserved for the signatory's page (`on-signatory`), sent when the signatory opens each. */
  queues: { waiting: number; active: number; delayed: number; failed: number; forSignatory: number; writebackPending: number; deadLetters: number };
  /** Bills per stetpay status in Odoo. */
  bills: Record<string, number>;
  /** Payments waiting for the signatory's consent: how many, the oldest first. */
  waitingForConsent: { count: number; oldest: WaitingPayment[] };
  /** Bills a person must look at, per status (a subset of `bills`). */
  forAPerson: Record<string, number>;
  lastRun: LastRun | null;
  schedules: StoredSchedule[];
  /** Absent when the bank was not asked. */
  bank?: BankApiStatus;
}

export interface StatusDeps {
  odoo: OdooClient;
  queues: Pick<StetpayQueues, 'submit' | 'signatory' | 'run' | 'sync' | 'writeback' | 'redis' | 'prefix'>;
  /** Asks the bank (`bankApiStatus`), or undefined to leave it out. */
  bank?: () => Promise<BankApiStatus>;
  now?: Date;
}

export async function collectStatus(deps: StatusDeps): Promise<StetpayStatus> {
  const now = deps.now ?? new Date();
  const { queues, odoo } = deps;
  const [counts, forSignatory, writebackPending, deadLetters, lastRun, schedules, groups, waiting, bank] = await Promise.all([
    queues.submit.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'),
    queues.signatory.count(),
    queues.redis.llen(queues.writeback.key),
    queues.redis.llen(queues.writeback.deadLetterKey),
    readLastRun(queues.redis, queues.prefix),
    listSchedules(queues),
    odoo.call<{ x_stet_status: string | false; __count?: number; x_stet_status_count?: number }[]>('account.move', 'read_group', [[['x_stet_status', '!=', false]], ['x_stet_status'], ['x_stet_status']], { lazy: false }),
    readTrackedBills(odoo, { statuses: ['submitted'] }),
    deps.bank?.(),
  ]);
  const bills: Record<string, number> = {};
  for (const g of groups) if (g.x_stet_status) bills[g.x_stet_status] = g.__count ?? g.x_stet_status_count ?? 0;
  const forAPerson: Record<string, number> = {};
  for (const s of FOR_A_PERSON) if (bills[s]) forAPerson[s] = bills[s]!;
  const oldest = [...waiting]
    .sort((a, b) => (a.updatedAt ?? '').localeCompare(b.updatedAt ?? '') || a.billId - b.billId)
    .slice(0, WAITING_LISTED)
    .map((b): WaitingPayment => {
      const since = b.updatedAt;
      const hours = since ? Math.floor((now.getTime() - Date.parse(`${since.replace(' ', 'T')}Z`)) / 3_600_000) : null;
      return { billId: b.billId, name: b.name, supplier: b.supplierName, amountCents: b.amountCents ?? Math.round(b.amountResidual * 100), executionDate: b.requestedExecutionDate, since, hours };
    });
  return {
    at: now.toISOString(),
    queues: {
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      failed: counts.failed ?? 0,
      forSignatory,
      writebackPending,
      deadLetters,
    },
    bills,
    waitingForConsent: { count: waiting.length, oldest },
    forAPerson,
    lastRun,
    schedules,
    ...(bank ? { bank } : {}),
  };
}

/** True when something needs the operator: failed jobs, dead letters, or the bank's API not usable. */
export function needsAttention(s: StetpayStatus): boolean {
  return s.queues.failed > 0 || s.queues.deadLetters > 0 || (s.bank !== undefined && s.bank.api !== 'up');
}

/** What a person reads. */
export function formatStatus(s: StetpayStatus): string {
  const q = s.queues;
  const lines: string[] = [`stetpay status at ${s.at}`, ''];
  lines.push(`Queue: ${q.waiting} waiting, ${q.active} being sent, ${q.delayed} delayed, ${q.failed} failed; write-back ${q.writebackPending} pending, ${q.deadLetters} dead letter(s).`);
  if (q.forSignatory) lines.push(`Reserved for the signatory's page (sent when the signatory opens each): ${q.forSignatory}.`);
  if (q.failed) lines.push('  Failed jobs are payments stetpay could not send for a set-up reason (bank credentials or URL): run stetpay doctor; the sweeper sends them once fixed.');
  if (q.deadLetters) lines.push('  Dead letters are results Odoo refused for good: see docs/worker.md, "Dead letters".');
  const tracked = Object.entries(s.bills).sort(([a], [b]) => a.localeCompare(b));
  lines.push('', `Bills in Odoo by status: ${tracked.length ? tracked.map(([k, n]) => `${k} ${n}`).join(', ') : 'none taken in hand yet'}.`);
  const c = s.waitingForConsent;
  lines.push('', c.count ? `Waiting for the signatory's approval at the bank: ${c.count} (oldest first):` : "Waiting for the signatory's approval at the bank: none.");
  for (const w of c.oldest) {
    lines.push(`  - ${w.name}  ${w.supplier ?? ''}  ${formatCents(w.amountCents)} EUR  execution ${w.executionDate ?? '?'}  waiting since ${w.since ?? '?'} UTC${w.hours !== null ? ` (${w.hours} h)` : ''}`);
  }
  if (c.count > c.oldest.length) lines.push(`  … and ${c.count - c.oldest.length} more`);
  const person = Object.entries(s.forAPerson);
  lines.push('', person.length ? `For a person: ${person.map(([k, n]) => `${k} ${n}`).join(', ')} (stetpay report --status ${person.map(([k]) => k).join(',')} lists them with their reasons).` : 'For a person: nothing.');
  const r = s.lastRun;
  lines.push(
    '',
    r
      ? `Last run: ${r.at}, ${Math.round(r.durationMs / 1000)} s: ${r.bills} approved bill(s); ${Object.entries(r.byStatus).map(([k, n]) => `${k} ${n}`).join(', ') || 'nothing recorded'}; not yet payable ${r.notYetPayable}; ${formatCents(r.queuedCents)} EUR queued.`
      : 'Last run: none recorded in this Redis.',
  );
  for (const w of r?.warnings ?? []) lines.push(`  Warning: ${w}`);
  lines.push('', s.schedules.length ? 'Schedules:' : 'Schedules: none stored (run stetpay schedule once per deployment).');
  for (const sc of s.schedules) lines.push(`  - ${sc.id}: ${sc.pattern ? `${sc.pattern} ${sc.tz ?? ''}`.trim() : sc.everyMs ? `every ${Math.round(sc.everyMs / 60_000)} min` : ''}; next ${sc.next ? sc.next.toISOString() : 'not planned'}`);
  if (s.bank) {
    lines.push('', s.bank.api === 'up' ? "Bank API: answers." : 'Bank API:');
    if (s.bank.api === 'down') lines.push("  If payments must leave today: stetpay export pain001 writes them into a file for online banking.");
    for (const l of fallbackAdvice(s.bank)) lines.push(`  ${l}`);
  }
  return lines.join('\n');
}
