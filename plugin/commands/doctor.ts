/** `stetpay doctor [--json]`: checks the set-up, one line per check with OK or FAIL and the fix; exit 0 only when all pass. */
import { parseCommandArgs, printError } from '../cli-args.js';
import { formatReport, runDoctor } from '../doctor/index.js';

export async function run(args: string[]): Promise<number> {
  try {
    const { values } = parseCommandArgs('doctor', args, { json: { type: 'boolean', default: false } });
    const r = await runDoctor({ file: values.config });
    console.log(values.json ? JSON.stringify(r) : formatReport(r));
    return r.ok ? 0 : 1;
  } catch (err) {
    return printError('doctor', err);
  }
}
