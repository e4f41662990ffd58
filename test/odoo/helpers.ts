import { OdooClient } from '../../connector/odoo/odoo-client.js';
import { installFields } from '../../connector/odoo/install-fields.js';
import { startOdooDevServer, type OdooDevServerOptions, type RunningOdooDevServer } from '../../sandbox/odoo/index.js';

export const TODAY = '2026-03-02';

export async function devOdoo(opts: OdooDevServerOptions = {}): Promise<RunningOdooDevServer> {
  return startOdooDevServer({ seed: { invoices: 40, seed: 7, today: TODAY }, ...opts });
}

export async function adminClient(server: RunningOdooDevServer, extra: { install?: boolean } = {}): Promise<OdooClient> {
  const client = await OdooClient.connect({ url: server.url, database: server.database, username: server.admin.login, password: server.admin.apiKey, timeoutMs: 5000, retryDelayMs: 20 });
  if (extra.install) await installFields(client);
  return client;
}

/**
 * The daily user the README recommends: an invoicing user (Internal User +
 * Billing), no Settings rights. `install` runs first as the administrator, as
 * a company would do it once.
 */
export async function clerkClient(server: RunningOdooDevServer, extra: { install?: boolean } = {}): Promise<OdooClient> {
  if (extra.install) (await adminClient(server, { install: true })).close();
  return OdooClient.connect({ url: server.url, database: server.database, username: server.clerk.login, password: server.clerk.apiKey, timeoutMs: 5000, retryDelayMs: 20 });
}
