/** `stetpay demo [--invoices N] [--json]`: the whole job on embedded sandboxes; see the README. */
import { parseCommandArgs, printError, UsageError } from '../cli-args.js';
import { runDemo } from '../demo/run-demo.js';


export async function run(args: string[]): Promise<number> {
  try {
    const { values } = parseCommandArgs('demo', args, { invoices: { type: 'string', default: '200' }, json: { type: 'boolean', default: false } });
    const invoices = Number(values.invoices);
    if (!Number.isInteger(invoices) || invoices < 1 || invoices > 100_000) throw new UsageError(`stetpay demo: --invoices must be a whole number from 1 to 100000 (got '${values.invoices}')`);
    const say = (m: string) => console.error(`demo: ${m}`);
    const s = await runDemo({ invoices, env: process.env, say });
    if (values.json) {
      console.log(JSON.stringify(s));
    } else {
      console.log('\nstetpay demo: done in ' + (s.durationMs / 1000).toFixed(1) + ' s');
      console.log(`  approved bills read: ${s.bills} (not yet payable: ${s.notYetPayable})`);
      for (const [status, n] of Object.entries(s.byStatus).sort()) console.log(`  ${status.padEnd(14)} ${n}`);
      console.log(`  bank POSTs: ${s.bankPosts ?? 'n/a'}   Odoo calls: ${s.odooCalls ?? 'n/a'}`);
      if (s.invalid.length) {
        console.log('\n  bills refused before the bank:');
        for (const i of s.invalid) console.log(`    ${i.bill}: ${i.codes.join(', ')}`);
      }
    }
    return 0;
  } catch (err) {
    return printError('demo', err);
  }
}
