import type { RunSummary } from './run-summary.js';
import { formatCents } from '../../connector/rules/index.js';

/** The end-of-run table a person reads: counts per status, then each bill not queued with its reasons. */
export function renderRunSummary(s: RunSummary): string {
  const lines: string[] = [];
  lines.push(s.dryRun ? 'stetpay run --dry-run: nothing was written or queued.' : 'stetpay run: done.');
  lines.push('');
  lines.push(`  approved bills        ${String(s.bills).padStart(6)}`);
  for (const [status, n] of Object.entries(s.byStatus).sort()) lines.push(`  ${(s.dryRun ? 'would be ' : '') + status}`.padEnd(24) + String(n).padStart(6));
  lines.push(`  not yet payable       ${String(s.notYetPayable).padStart(6)}   (due beyond the bank's window: next runs)`);
  if (s.alreadyTaken) lines.push(`  already taken         ${String(s.alreadyTaken).padStart(6)}   (given a stetpay status since the run read them: left alone)`);
  if (s.forSignatory) {
    // Requests of several transfers: fewer payments than bills, one approval each (else "queued 6, for the signatory 1" reads as 5 lost).
    const grouped = s.forSignatory < s.queuedBillIds.length ? `payments for the ${s.queuedBillIds.length} queued bills, one approval each; ` : '';
    lines.push(`  for the signatory     ${String(s.forSignatory).padStart(6)}   (${grouped}each sent to the bank when the signatory opens it on the signatory's page)`);
  }
  lines.push(`  amount queued         ${formatCents(s.queuedCents).padStart(14)} EUR`);
  lines.push(`  Odoo calls            ${String(s.odooCalls).padStart(6)}`);
  const p = s.payeeChecks;
  if (p && (p.pairs || p.optedOut)) {
    const results = Object.entries(p.byResult).map(([r, n]) => `${n} ${r}`).concat(p.noAnswer ? [`${p.noAnswer} without answer`] : []);
    lines.push(
      p.optedOut
        ? `  payee checks          none: ${p.optedOut} payment(s) sent under the bulk opt-out (vop.bulkOptOut)`
        : `  payee checks (VoP)    ${String(p.pairs).padStart(6)}   (${p.asked} asked in ${p.requests} request(s), ${p.fromCache} from the cache: ${results.join(', ')}; vop.mode ${p.mode})`,
    );
  }
  for (const w of s.warnings) lines.push('', `Warning: ${w}`);
  if (s.notYetPayable) {
    lines.push('', `Not yet payable: due beyond the bank's window, a later run sends them (nothing to do):`);
    for (const b of s.notYetPayableBills) lines.push(`  - ${b.billName}: due ${b.dueDate ?? '(no due date)'}, payable from ${b.payableFrom}`);
    const unlisted = s.notYetPayable - s.notYetPayableBills.length;
    if (unlisted > 0) lines.push(`  … and ${unlisted} more, due later`);
  }
  const notSent = s.invalid.filter((x) => x.status !== 'held');
  if (notSent.length) {
    lines.push('', 'Bills not sent (fix them in Odoo, then run stetpay retry BILL to send them again; needs_review: see stetpay resolve):');
    for (const x of notSent) {
      for (const r of x.reasons) lines.push(`  - [${x.status}] ${r.code} (${r.rule}): ${r.message}`);
    }
  }
  const held = s.invalid.filter((x) => x.status === 'held');
  if (held.length) {
    lines.push('', 'Bills held (a person must act as each reason says; every run looks again and pays them once resolved):');
    for (const x of held) for (const r of x.reasons) lines.push(`  - [held] ${r.code} (${r.rule}): ${r.message}`);
  }
  return lines.join('\n');
}
