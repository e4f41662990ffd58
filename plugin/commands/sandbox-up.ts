/**
 * `stetpay sandbox up`: the bank sandbox, the Odoo dev server, the VoP sandbox and Redis in this
 * process with a ready config for them, until Ctrl+C; prints what to run next.
 */
import type { SandboxProfile } from '../../sandbox/bank/index.js';
import type { OdooVersion } from '../../sandbox/odoo/index.js';
import { untilInterrupted } from '../runtime/process-cleanup.js';
import { startSandboxUp } from '../demo/sandbox-up.js';

export interface UpOptions {
  out: string;
  invoices: number;
  odooVersion: '16' | '17' | '18';
  profile: SandboxProfile;
  /** false with --no-auto-consent. */
  autoConsent: boolean;
  odooPort: number;
  bankPort: number;
  bankAdminPort: number;
  callbackPort: number;
  redisUrl?: string;
}

export async function run(o: UpOptions): Promise<number> {
  const say = (m: string) => console.error(`sandbox up: ${m}`);
  const s = await startSandboxUp({
    out: o.out,
    invoices: o.invoices,
    odooVersion: Number(o.odooVersion) as OdooVersion,
    profile: o.profile,
    autoConsent: o.autoConsent,
    ports: { odoo: o.odooPort, bank: o.bankPort, bankAdmin: o.bankAdminPort, callback: o.callbackPort },
    redisUrl: o.redisUrl,
    say,
  });
  const { odoo, bank, redis, vop } = s.parts;
  const config = o.out === 'stetpay.config.json' ? '' : ` --config ${o.out}`;
  console.log(`stetpay sandbox up: ready; config written to ${s.configPath}
  Odoo ${odoo!.version}   ${odoo!.url}  database ${odoo!.database}, ${o.invoices} vendor bills (logins ${odoo!.admin.login} / ${odoo!.admin.password}, ${odoo!.clerk.login} / ${odoo!.clerk.password})
  bank      ${bank!.apiBaseUrl}  (${bank!.profile}${o.autoConsent ? ', approves every payment at once' : ', a person approves each payment on its consent page'}; admin API ${bank!.adminUrl})
  VoP       ${vop ? `${vop.url}  (payee checks; holds the seeded close match and mismatch)` : 'not started'}
  Redis     ${s.parts.redisUrl}${redis ? ' (a throwaway redis-server)' : ''}
  callback  http://127.0.0.1:${s.parts.callbackPort}  (served by \`stetpay worker\`)
Now, from another terminal in this folder:
  npx stetpay install${config}     create the stetpay fields in Odoo
  npx stetpay run${config}         check the approved bills and queue their payments
  npx stetpay worker${config}      send them to the bank and follow them (Ctrl+C to stop)
  npx stetpay report${config}      the reconciliation report (also: sync, schedule, export pain001)
${o.autoConsent ? '' : `The signatory's page (Claire Martin, opens once, 12 hours; docs/signatory.md):\n  ${s.signatoryLink}\n`}Press Ctrl+C here to stop everything; the config and the test certificates are removed.`);
  await untilInterrupted();
  await s.stop();
  console.log('stetpay sandbox up: stopped; config and certificates removed.');
  return 0;
}
