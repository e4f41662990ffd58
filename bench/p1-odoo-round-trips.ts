/**
 * P1 Odoo round trips (issue 7).
 *
 * Measured: the XML-RPC calls the Odoo dev server receives (its `calls()`
 * counter, cross-checked with the client's own `calls`) to
 *  - read N bills with everything the mapping needs (`collectApprovedBills`
 *    after `installFields`: bills, bank journal, companies, partners, bank
 *    accounts), target <= ceil(N/500) + 5;
 *  - write N results back (`writeBillUpdates`: N distinct updates, each with a
 *    chatter note), target <= ceil(N/200) + 10.
 * N = 1,000, 10,000, 100,000 bills seeded in the dev server, in this process
 * (quick: 100 and 1,000). The read takes every seeded vendor bill (a domain on
 * move_type), so exactly N are read; a second read with the default approved
 * domain is counted against its own n (the bills it returns). The write gives
 * the seed's problem bills status `invalid` with a reason and the others
 * `submitted` with their own ids, resource id and consent link: two field sets,
 * as a real write-back has. Wall times are a note only.
 */
import { collectApprovedBills, installFields, OdooClient, writeBillUpdates } from '../connector/odoo/index.js';
import type { BillUpdate } from '../connector/model/index.js';
import { paymentIds } from '../connector/rules/payment-ids.js';
import { startOdooDevServer, type RunningOdooDevServer } from '../sandbox/odoo/index.js';
import { measureCase, type BenchContext, type BenchResult, type BenchRow, type Benchmark } from './lib/benchmark.js';
import { mib } from './lib/machine-info.js';
import { sampleOwnRss } from './lib/peak-rss.js';
import { formatMs, timed } from './lib/timing.js';

export const FULL_SIZES = [1_000, 10_000, 100_000];
export const QUICK_SIZES = [100, 1_000];

export const readTarget = (n: number): number => Math.ceil(n / 500) + 5;
export const writeTarget = (n: number): number => Math.ceil(n / 200) + 10;

/** Every vendor bill and refund of the seed: the read then returns exactly N bills. */
const ALL_SEEDED_BILLS = [['move_type', 'in', ['in_invoice', 'in_refund']]];

interface Counted {
  /** Calls by `model.method`, as the dev server counted them. */
  byMethod: Record<string, number>;
  server: number;
  client: number;
  ms: number;
}

async function counted(server: RunningOdooDevServer, client: OdooClient, fn: () => Promise<unknown>): Promise<Counted> {
  server.resetCalls();
  const before = client.calls;
  const { ms } = await timed(fn);
  const { total, execute_kw: _all, ...byMethod } = server.calls();
  return { byMethod, server: total ?? 0, client: client.calls - before, ms };
}

const breakdown = (c: Counted): string =>
  Object.entries(c.byMethod)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

function detail(c: Counted): string {
  const agree = c.server === c.client ? '' : `; client counted ${c.client}`;
  return `${formatMs(c.ms)}${agree}`;
}

/** N distinct results, as the write-back sends them after a run. */
export function billUpdates(database: string, billIds: number[], problems: Record<number, string>): BillUpdate[] {
  return billIds.map((billId): BillUpdate => {
    const problem = problems[billId];
    if (problem) {
      const reason = `Not sent to the bank: ${problem.replace(/_/g, ' ')} (benchmark write-back).`;
      return { billId, values: { x_stet_status: 'invalid', x_stet_status_reason: reason, x_stet_attempt: 0 }, note: reason };
    }
    const ids = paymentIds(database, billId, 0);
    const resourceId = `RES-${billId.toString(36).toUpperCase()}-BENCH`;
    return {
      billId,
      values: {
        x_stet_status: 'submitted',
        x_stet_bank_status: 'ACTC',
        x_stet_status_reason: 'Waiting for the signatory to approve the payment at the bank.',
        x_stet_end_to_end_id: ids.endToEndId,
        x_stet_payment_information_id: ids.paymentInformationId,
        x_stet_resource_id: resourceId,
        x_stet_consent_url: `https://bank.example/consent/${resourceId}`,
        x_stet_requested_execution_date: '2026-03-02',
        x_stet_attempt: 0,
      },
      note: `Sent to the bank as ${ids.paymentInformationId} (end-to-end id ${ids.endToEndId}); the bank answered ACTC, resource ${resourceId}. Waiting for the signatory's approval.`,
    };
  });
}

async function measureSize(n: number, ctx: BenchContext): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const nf = n.toLocaleString('en-US');
  ctx.log(`P1: seeding ${nf} bills in the Odoo dev server`);
  const seeded = await timed(() => startOdooDevServer({ version: 17, seed: { invoices: n, seed: 1 } }));
  const server = seeded.result;
  let client: OdooClient | undefined;
  try {
    client = await OdooClient.connect({ url: server.url, database: server.database, username: server.admin.login, password: server.admin.apiKey, timeoutMs: 600_000 });
    await installFields(client);
    const c = client;

    ctx.log(`P1: reading ${nf} bills`);
    let read = 0;
    const all = await counted(server, c, async () => {
      for await (const page of collectApprovedBills(c, { database: server.database, domain: ALL_SEEDED_BILLS })) read += page.length;
    });
    if (read !== n) throw new Error(`P1: the read returned ${read} bills, ${n} were seeded`);

    ctx.log(`P1: reading the approved bills (default domain)`);
    let approved = 0;
    const appr = await counted(server, c, async () => {
      for await (const page of collectApprovedBills(c, { database: server.database })) approved += page.length;
    });

    ctx.log(`P1: writing ${nf} results with a note each`);
    const updates = billUpdates(server.database, server.seedInfo!.billIds, server.seedInfo!.problems);
    const write = await counted(server, c, () => writeBillUpdates(c, updates));
    // the write must have landed, else the count means nothing
    const withStatus = server.store.search('account.move', [['x_stet_status', '!=', false]]).length;
    const notes = server.store.search('mail.message', [['model', '=', 'account.move']]).length;
    if (withStatus !== n || notes !== n) throw new Error(`P1: after the write ${withStatus} of ${n} bills carry a status and ${notes} notes exist`);

    return {
      rows: [
        { case: `read ${nf} bills (all seeded)`, target: { op: '<=', value: readTarget(n), unit: 'calls' }, measured: all.server, note: detail(all) },
        { case: `read ${approved.toLocaleString('en-US')} approved of ${nf} (default domain)`, target: { op: '<=', value: readTarget(approved), unit: 'calls' }, measured: appr.server, note: detail(appr) },
        { case: `write ${nf} results + ${nf} notes`, target: { op: '<=', value: writeTarget(n), unit: 'calls' }, measured: write.server, note: detail(write) },
      ],
      notes: [
        `N = ${nf}: read ${breakdown(all)}; write ${breakdown(write)}. Write verified in the dev server's records (${withStatus.toLocaleString('en-US')} statuses, ${notes.toLocaleString('en-US')} notes). Seeding took ${formatMs(seeded.ms)}.`,
      ],
    };
  } finally {
    client?.close();
    await server.close();
  }
}

export const p1OdooRoundTrips: Benchmark = {
  id: 'P1',
  title: 'Odoo round trips',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const result: BenchResult = { rows: [], notes: [] };
    const rss = sampleOwnRss();
    for (const n of ctx.quick ? QUICK_SIZES : FULL_SIZES) {
      await measureCase(result, ctx, `P1: N = ${n}`, () => measureSize(n, ctx), (why) => [
        { case: `read ${n.toLocaleString('en-US')} bills (all seeded)`, target: { op: '<=', value: readTarget(n), unit: 'calls' }, measured: null, notMeasured: why },
        { case: `write ${n.toLocaleString('en-US')} results + notes`, target: { op: '<=', value: writeTarget(n), unit: 'calls' }, measured: null, notMeasured: why },
      ]);
    }
    result.notes.push(
      'Calls are counted by the Odoo dev server (every XML-RPC request it answered: execute_kw only, the login is before the count); the note column gives the wall time and says when the client\'s own count differs.',
      'The dev server runs in the benchmark\'s process over real HTTP on 127.0.0.1: the wall times include its in-memory ORM and XML encoding on both sides, not a real Odoo\'s PostgreSQL.',
      `Peak RSS of this benchmark process, which holds the dev server and all its records as well as the client: ${mib(rss.stop())} (not P4's figure).`,
    );
    return result;
  },
};
