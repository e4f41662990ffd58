/** Shared set-up of the command tests: a real Odoo dev server with the stetpay fields, bills put in given states. */
import type { BillUpdate, PaymentRequestResource, StetFieldValues } from '../../connector/model/index.js';
import { collectApprovedBills, installFields, OdooClient, writeBillUpdates } from '../../connector/odoo/index.js';
import { mapBill } from '../../connector/mapping/index.js';
import { getBankProfile } from '../../connector/profiles/index.js';
import { mappingContext } from '../../plugin/run/mapping-context.js';
import { queuedUpdate } from '../../plugin/run/reserve-updates.js';
import { paymentIds } from '../../connector/rules/index.js';
import { startOdooDevServer, type RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import type { PaymentsConfig } from '../../plugin/config/index.js';
import { randomUUID } from 'node:crypto';
import { StetpayQueues } from '../../worker/index.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

export const TODAY = '2026-03-02';
/** 09:00 in Paris on TODAY (a Monday), before the 15:00 cut-off. */
export const NOW = new Date('2026-03-02T08:00:00Z');
export const PAYMENTS: PaymentsConfig = { executionPolicy: 'due-date', cutoffTime: '15:00', timeZone: 'Europe/Paris', categoryPurpose: 'CASH' };

/** The dev server with stetpay installed (by its administrator), and a client of the daily invoicing user (no Settings rights). */
export async function startOdoo(invoices = 24): Promise<{ server: RunningOdooDevServer; client: OdooClient }> {
  const server = await startOdooDevServer({ seed: { invoices, seed: 5, today: TODAY } });
  const admin = await OdooClient.connect({ url: server.url, database: server.database, username: server.admin.login, password: server.admin.apiKey, timeoutMs: 5000 });
  await installFields(admin);
  admin.close();
  const client = await OdooClient.connect({ url: server.url, database: server.database, username: server.clerk.login, password: server.clerk.apiKey, timeoutMs: 5000 });
  return { server, client };
}

/** Seeded bills with nothing wrong with them, in creation order. */
export function payableBills(server: RunningOdooDevServer): number[] {
  const info = server.seedInfo!;
  return info.billIds.filter((id) => info.problems[id] === undefined);
}

/** Records `x_stet_*` values on one bill through the connector (as the run and the workers do). */
export async function setBill(client: OdooClient, billId: number, values: StetFieldValues, now = NOW): Promise<void> {
  const update: BillUpdate = { billId, values };
  await writeBillUpdates(client, [update], now);
}

/** The values the run records when it reserves a bill (attempt 1). */
export function queuedValues(database: string, billId: number, attempt = 1): StetFieldValues {
  const ids = paymentIds(database, billId, attempt);
  return {
    x_stet_status: 'queued',
    x_stet_end_to_end_id: ids.endToEndId,
    x_stet_payment_information_id: ids.paymentInformationId,
    x_stet_attempt: attempt,
    x_stet_requested_execution_date: '2026-03-04',
    x_stet_resource_id: false,
    x_stet_bank_status: false,
    x_stet_status_reason: false,
  };
}

/** A bill's record as the dev server holds it. */
export function billRecord(server: RunningOdooDevServer, billId: number): Record<string, unknown> {
  return server.store.read('account.move', [billId])[0] as Record<string, unknown>;
}

export function notesOf(server: RunningOdooDevServer, billId: number): string[] {
  const ids = server.store.search('mail.message', [['model', '=', 'account.move'], ['res_id', '=', billId]]);
  return server.store.read('mail.message', ids).map((m) => String((m as unknown as { body: unknown }).body));
}

/**
 * Reserves a bill as the run does (attempt 1): maps it, records `queued` with
 * the ids and the request its job holds (text, digest, recipient, amount).
 * Returns that request.
 */
export async function reserve(client: OdooClient, billId: number, now = NOW): Promise<PaymentRequestResource> {
  const links = () => ({ successfulReportUrl: 'https://stetpay.example.test/ok', unsuccessfulReportUrl: 'https://stetpay.example.test/ko' });
  for await (const page of collectApprovedBills(client, { database: client.database, domain: [['id', '=', billId]] })) {
    const snapshot = page[0]!;
    const outcome = mapBill({ ...snapshot, bill: { ...snapshot.bill, attempt: 1 } }, mappingContext(PAYMENTS, getBankProfile('stet-1.6'), now, links));
    if (outcome.kind !== 'payable') throw new Error(`bill ${billId} does not map: ${outcome.kind}`);
    const tx = outcome.request.creditTransferTransaction[0]!;
    await writeBillUpdates(client, [queuedUpdate({ billId, ids: outcome.ids, attempt: 1, executionDate: outcome.executionDate, amountCents: outcome.amountCents, creditorIban: tx.beneficiary.creditorAccount.iban, request: outcome.request, closedAttempt: 0, now })], now);
    return outcome.request;
  }
  throw new Error(`bill ${billId} is not an approved bill`);
}

/** The dev server (as {@link startOdoo}), a throwaway redis-server and stetpay's queues on a prefix of their own: what a command acting on Odoo and Redis needs. */
export interface OdooAndRedis {
  server: RunningOdooDevServer;
  client: OdooClient;
  redis: TestRedis;
  queues: StetpayQueues;
  /** Seeded bills with nothing wrong with them, in creation order. */
  bills: number[];
  stop(): Promise<void>;
}

export async function startOdooAndRedis(invoices = 24): Promise<OdooAndRedis> {
  const [{ server, client }, redis] = await Promise.all([startOdoo(invoices), startRedis()]);
  const queues = await StetpayQueues.open({ connection: redis.url, prefix: `{t-${randomUUID().slice(0, 8)}}` });
  return {
    server,
    client,
    redis,
    queues,
    bills: payableBills(server),
    async stop() {
      await queues.close();
      client.close();
      await Promise.all([server.close(), redis.stop()]);
    },
  };
}

/** {@link startOdoo} for the suite it is called in: started before its tests, closed after them; `use` receives it. */
export function odooPerSuite(invoices: number, use: (odoo: { server: RunningOdooDevServer; client: OdooClient }) => void): void {
  let odoo: { server: RunningOdooDevServer; client: OdooClient } | undefined;
  before(async () => {
    odoo = await startOdoo(invoices);
    use(odoo);
  });
  after(async () => {
    odoo?.client.close();
    await odoo?.server.close();
  });
}

/** {@link startOdooAndRedis} for the suite it is called in: started before its tests, stopped after them; `use` receives it. */
export function odooAndRedisPerSuite(invoices: number, use: (fx: OdooAndRedis) => void): void {
  let fx: OdooAndRedis | undefined;
  before(async () => {
    fx = await startOdooAndRedis(invoices);
    use(fx);
  });
  after(async () => {
    await fx?.stop();
  });
}
