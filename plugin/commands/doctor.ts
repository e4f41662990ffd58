/** `stetpay doctor [--json]`: checks the set-up, one line per check with OK or FAIL and the fix; exit 0 only when all pass. */
import { formatReport, runDoctor } from '../doctor/index.js';

export interface DoctorOptions {
  config?: string;
  json?: boolean;
}

export async function run(o: DoctorOptions): Promise<number> {
  const r = await runDoctor({ file: o.config });
  console.log(o.json ? JSON.stringify(r) : formatReport(r));
  return r.ok ? 0 : 1;
}
