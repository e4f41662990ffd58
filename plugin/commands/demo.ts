/** `stetpay demo [--invoices N] [--json]`: the whole job on embedded sandboxes; see the README. */
import { runDemo } from '../demo/run-demo.js';

export interface DemoOptions {
  invoices: number;
  json?: boolean;
}

export async function run(o: DemoOptions): Promise<number> {
  const say = (m: string) => console.error(`demo: ${m}`);
  const s = await runDemo({ invoices: o.invoices, env: process.env, say });
  if (o.json) {
    console.log(JSON.stringify(s));
    return 0;
  }
  console.log('\nstetpay demo: done in ' + (s.durationMs / 1000).toFixed(1) + ' s');
  console.log(`  approved bills: ${s.bills} (not yet payable: ${s.notYetPayable})`);
  for (const [status, n] of Object.entries(s.byStatus).sort()) console.log(`  ${status.padEnd(14)} ${n}`);
  console.log(`  bank POSTs: ${s.bankPosts ?? 'n/a'}   Odoo calls: ${s.odooCalls ?? 'n/a'}`);
  const p = s.payeeChecks;
  if (p) console.log(`  payee checks (VoP, ${p.mode}): ${p.pairs} account(s): ${Object.entries(p.byResult).map(([r, n]) => `${n} ${r}`).join(', ') || 'none'}${p.noAnswer ? `, ${p.noAnswer} without answer` : ''}`);
  if (s.held.length) {
    console.log('\n  bills held before the bank (approvals or Verification of Payee; a person must act in Odoo):');
    for (const h of s.held) console.log(`    ${h.bill}: ${h.codes.join(', ')}`);
  }
  if (s.invalid.length) {
    console.log('\n  bills refused before the bank:');
    for (const i of s.invalid) console.log(`    ${i.bill}: ${i.codes.join(', ')}`);
  }
  return 0;
}
