/**
 * People acting in Odoo as the dev server's users: approving bills and
 * confirming bank accounts with the server actions `stetpay install` made,
 * run as Odoo's web client does (`ir.actions.server.run` with the active records in the context).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OdooClient } from '../../connector/odoo/odoo-client.js';
import { loadConfig, requireSections } from '../../plugin/config/index.js';
import { odooSectionFor } from '../../plugin/demo/embedded-parts.js';
import { makeTestCertificates, type TestCertificates } from '../../sandbox/bank/certs.js';
import { startOdooDevServer, type OdooDevServerOptions } from '../../sandbox/odoo/index.js';
import { CERTS_DIR } from '../bank/harness.js';
import { adminClient, clerkClient } from '../odoo/helpers.js';
import { startRedis, type TestRedis } from './redis-server.js';
import { APPROVE_ACTION_NAME, CONFIRM_ACCOUNT_ACTION_NAME } from '../../connector/odoo/approval-field-definitions.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';

export async function clientAs(server: RunningOdooDevServer, login: string): Promise<OdooClient> {
  const u = server.user(login);
  return OdooClient.connect({ url: server.url, database: server.database, username: u.login, password: u.apiKey, timeoutMs: 5000, retryDelayMs: 20 });
}

export function actionId(server: RunningOdooDevServer, name: string): number {
  const id = server.store.search('ir.actions.server', [['name', '=', name]])[0];
  if (!id) throw new Error(`no server action ${name}: run install first`);
  return id;
}

async function runAction(server: RunningOdooDevServer, login: string, name: string, model: string, ids: number[]): Promise<void> {
  const client = await clientAs(server, login);
  try {
    await client.call('ir.actions.server', 'run', [[actionId(server, name)]], { context: { active_model: model, active_ids: ids, active_id: ids[0] } });
  } finally {
    client.close();
  }
}

/** `login` approves the bills with Action > Approve for payment. */
export const approveAs = (server: RunningOdooDevServer, login: string, billIds: number[]) => runAction(server, login, APPROVE_ACTION_NAME, 'account.move', billIds);

/** `login` confirms the bank accounts with Action > Confirm bank account. */
export const confirmAccountAs = (server: RunningOdooDevServer, login: string, accountIds: number[]) => runAction(server, login, CONFIRM_ACCOUNT_ACTION_NAME, 'res.partner.bank', accountIds);

/**
 * A run's configuration as the daily user (the clerk), VoP off, a bank that is
 * never reached (the run only reserves and queues), `overrides` merged per section.
 */
export function clerkRunConfig(server: RunningOdooDevServer, redisUrl: string, certs: TestCertificates, overrides: Record<string, Record<string, unknown>> = {}) {
  return requireSections(
    loadConfig({
      env: {},
      cwd: mkdtempSync(join(tmpdir(), 'stetpay-clerk-test-')),
      overrides: {
        odoo: { ...odooSectionFor(server), username: server.clerk.login, password: server.clerk.apiKey },
        redis: { url: redisUrl, prefix: `{clerk-${randomUUID().slice(0, 8)}}` },
        bank: { profile: 'nwm-18919', submissionMode: 'nightly', apiBaseUrl: 'https://127.0.0.1:9/stet', tokenUrl: 'https://127.0.0.1:9/token', clientId: certs.organisationId, qwacCert: certs.qwacCertPath, qwacKey: certs.qwacKeyPath, qsealKey: certs.qsealKeyPath, qsealKeyId: certs.qsealKeyId, ca: certs.caCertPath },
        callback: { publicUrl: 'https://stetpay.example.test', secret: 'x'.repeat(40) },
        vop: { mode: 'off' },
        ...overrides,
      },
    }),
    ['odoo', 'redis', 'bank', 'callback'],
  );
}

/** What a suite of runs as the clerk works with: fresh per test (server, clerk), once per suite (Redis, certificates). */
export interface ClerkStack {
  redis: TestRedis;
  certs: TestCertificates;
  server: RunningOdooDevServer;
  /** stetpay's daily user. */
  odoo: OdooClient;
  /** Closed after each test (queues, extra clients). */
  open: { close(): unknown }[];
}

/**
 * Registers the suite's hooks: Redis and the test certificates once; before each
 * test a dev server of `version` seeded with `seed`, install run as the administrator, the clerk logged in.
 */
export function clerkStack(seed: NonNullable<OdooDevServerOptions['seed']>, version: 16 | 17 | 18 = 17): ClerkStack {
  const stack = { open: [] } as unknown as ClerkStack;
  before(async () => {
    stack.redis = await startRedis();
    stack.certs = await makeTestCertificates(CERTS_DIR);
  });
  after(async () => {
    await stack.redis?.stop();
  });
  beforeEach(async () => {
    stack.server = await startOdooDevServer({ version, seed });
    (await adminClient(stack.server, { install: true })).close();
    stack.odoo = await clerkClient(stack.server);
  });
  afterEach(async () => {
    for (const o of stack.open.splice(0)) await o.close();
    stack.odoo?.close();
    await stack.server?.close();
  });
  return stack;
}
