import type { RunSummary } from './run-summary.js';
import { formatCents } from '../../connector/rules/index.js';

/** The end-of-run table a person reads: counts per status, then each bill not queued with its reasons. */
export function renderRunSummary(s: RunSummary): string {
  const lines: string[] = [];
  lines.push(s.dryRun ? 'stetpay run --dry-run: nothing was written or queued.' : 'stetpay run: done.');
  lines.push('');
  lines.push(`  bills read            ${String(s.bills).padStart(6)}`);
  for (const [status, n] of Object.entries(s.byStatus).sort()) lines.push(`  ${(s.dryRun ? 'would be ' : '') + status}`.padEnd(24) + String(n).padStart(6));
  lines.push(`  not yet payable       ${String(s.notYetPayable).padStart(6)}   (due beyond the bank's window: next runs)`);
  if (s.alreadyTaken) lines.push(`  already taken         ${String(s.alreadyTaken).padStart(6)}   (given a stetpay status since the run read them: left alone)`);
  if (s.forSignatory) lines.push(`  for the signatory     ${String(s.forSignatory).padStart(6)}   (each sent to the bank when the signatory opens it on the signatory's page)`);
  lines.push(`  amount queued         ${formatCents(s.queuedCents).padStart(14)} EUR`);
  lines.push(`  Odoo calls            ${String(s.odooCalls).padStart(6)}`);
  for (const w of s.warnings) lines.push('', `Warning: ${w}`);
  if (s.invalid.length) {
    lines.push('', 'Bills not sent (fix them in Odoo, then run stetpay retry BILL to send them again; needs_review: see stetpay resolve):');
    for (const p of s.invalid) {
      for (const r of p.reasons) lines.push(`  - [${p.status}] ${r.code} (${r.rule}): ${r.message}`);
    }
  }
  return lines.join('\n');
}
