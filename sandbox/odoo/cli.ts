/** `stetpay sandbox odoo [--port P] [--version 16|17|18] [--invoices N] [--seed S] [--data FILE] [--db NAME]` */
import { startOdooDevServer } from './index.js';
import type { OdooVersion } from './schema.js';

export async function runOdooCli(args: string[]): Promise<number> {
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const version = Number(opt('version') ?? 17);
  if (![16, 17, 18].includes(version)) {
    console.error('stetpay sandbox odoo: --version must be 16, 17 or 18');
    return 2;
  }
  const invoices = Number(opt('invoices') ?? 50);
  const port = Number(opt('port') ?? 8069);
  if (!Number.isInteger(invoices) || invoices < 0 || !Number.isInteger(port)) {
    console.error('stetpay sandbox odoo: --invoices and --port take whole numbers');
    return 2;
  }
  const dataFile = opt('data');
  const database = opt('db');
  const server = await startOdooDevServer({
    port,
    version: version as OdooVersion,
    seed: { invoices, seed: Number(opt('seed') ?? 1) },
    ...(dataFile ? { dataFile } : {}),
    ...(database ? { database } : {}),
  });
  console.log(`Odoo ${server.version} dev server listening on ${server.url}`);
  console.log(`  database: ${server.database}`);
  console.log(`  admin (Settings administrator): ${server.admin.login} / ${server.admin.password}  API key ${server.admin.apiKey}`);
  console.log(`  clerk (the daily user: Internal User + Billing, no Settings rights): ${server.clerk.login} / ${server.clerk.password}  API key ${server.clerk.apiKey}`);
  if (server.seedInfo) console.log(`  ${server.seedInfo.billIds.length} vendor bills, ${Object.keys(server.seedInfo.problems).length} with problems; debtor IBAN ${server.seedInfo.debtorIban}`);
  console.log('Press Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
