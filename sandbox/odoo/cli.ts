/** `stetpay sandbox odoo`: the Odoo dev server until SIGINT/SIGTERM (flags parsed by the stetpay command line). */
import { startOdooDevServer } from './index.js';
import type { OdooVersion } from './schema.js';

export interface OdooCliOptions {
  port: number;
  version: OdooVersion;
  invoices: number;
  seed: number;
  /** JSON file: loaded at start when it exists, written on stop. */
  data?: string;
  db?: string;
}

export async function runOdooCli(o: OdooCliOptions): Promise<number> {
  let server;
  try {
    server = await startOdooDevServer({
      port: o.port,
      version: o.version,
      seed: { invoices: o.invoices, seed: o.seed },
      ...(o.data ? { dataFile: o.data } : {}),
      ...(o.db ? { database: o.db } : {}),
    });
  } catch (err) {
    console.error(`stetpay sandbox odoo: ${(err as Error).message}`);
    return 1;
  }
  console.log(`Odoo ${server.version} dev server listening on ${server.url}`);
  console.log(`  database: ${server.database}`);
  console.log(`  admin (Settings administrator): ${server.admin.login} / ${server.admin.password}  API key ${server.admin.apiKey}`);
  console.log(`  clerk (the daily user: Internal User + Billing, no Settings rights): ${server.clerk.login} / ${server.clerk.password}  API key ${server.clerk.apiKey}`);
  for (const login of ['approver', 'approver2'].filter((l) => server.store.users.some((u) => u.login === l))) {
    const u = server.user(login);
    console.log(`  ${login} (approves bills for payment: Internal User + Billing Administrator): ${u.login} / ${u.password}  API key ${u.apiKey}`);
  }
  if (server.seedInfo) console.log(`  ${server.seedInfo.billIds.length} vendor bills, ${Object.keys(server.seedInfo.problems).length} with problems; debtor IBAN ${server.seedInfo.debtorIban}`);
  console.log('Press Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
