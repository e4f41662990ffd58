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

/** Runs `test` on a dev server of its own with the administrator's client, both closed after it, passed or failed. */
export async function withAdminOdoo<T>(opts: OdooDevServerOptions, test: (server: RunningOdooDevServer, client: OdooClient) => Promise<T>): Promise<T> {
  const server = await devOdoo(opts);
  const client = await adminClient(server);
  try {
    return await test(server, client);
  } finally {
    client.close();
    await server.close();
  }
}

/**
 * The dev server and a client for the suite this is called in: started before
 * its tests, closed after them. `as` says whose client (the administrator's,
 * or the daily user's), `install` installs stetpay's fields first.
 */
export function odooClientPerSuite(
  use: (odoo: { server: RunningOdooDevServer; client: OdooClient }) => void,
  o: OdooDevServerOptions & { as: 'admin' | 'clerk'; install?: boolean },
): void {
  let odoo: { server: RunningOdooDevServer; client: OdooClient } | undefined;
  before(async () => {
    const { as, install, ...server } = o;
    const s = await devOdoo(server);
    odoo = { server: s, client: await (as === 'admin' ? adminClient : clerkClient)(s, { install }) };
    use(odoo);
  });
  after(async () => {
    odoo?.client.close();
    await odoo?.server.close();
  });
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
