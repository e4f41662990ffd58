/**
 * The fault-injection suite (issue 7): the pipeline attacked the way production
 * will attack it, workers as separate processes, every scenario ending with the
 * three-way check (never twice at the bank; every approved bill recorded in
 * Odoo; Odoo, ledger and bank agree). Reduced scale by default (CI);
 * STETPAY_FAULTS=full for the full counts (`npm run test:faults`).
 */
import { expect } from 'chai';
import { assertClean, FULL, Pipeline, scale, seededExpectations, sleep, threeWayCheck, type CheckReport, type PipelineOptions, type WorkerChild } from '../support/pipeline-harness.js';
import { figures, mergeBankFaults, prng } from '../support/fault-helpers.js';

/** Short time-outs: a killed worker's job is taken over within seconds (lock = 4 x response time-out). */
const FAST = { bank: { responseTimeoutMs: 1500, connectTimeoutMs: 1500 }, odoo: { timeoutMs: 3000 } };

async function startScenario(opts: Partial<PipelineOptions> & { invoices: number }, workers: number): Promise<{ p: Pipeline; ws: WorkerChild[]; exp: ReturnType<typeof seededExpectations> }> {
  const p = await Pipeline.start({ config: FAST, ...opts });
  const ws = Array.from({ length: workers }, () => p.startWorker({ concurrency: 4 }));
  await p.cli(['install']);
  await Promise.all(ws.map((w) => p.workerReady(w)));
  return { p, ws, exp: seededExpectations(p) };
}

async function settleAndCheck(p: Pipeline, exp: ReturnType<typeof seededExpectations>, label: string, o: { timeoutMs?: number; ledgerMayBeLost?: boolean; extra?: Record<string, unknown> } = {}): Promise<CheckReport> {
  const started = Date.now();
  const pending = await p.waitSettled(exp.paid, { timeoutMs: o.timeoutMs ?? scale(150_000, 600_000), sweepEveryMs: 15_000 });
  const r = await threeWayCheck(p, { reservedBillIds: [...exp.paid, ...exp.invalid], neverSentBillIds: exp.invalid, ledgerMayBeLost: o.ledgerMayBeLost });
  figures(label, { bills: exp.paid.length, settleMs: Date.now() - started, stillQueued: pending.length, ...r, mismatches: r.mismatches.length, ...o.extra });
  assertClean(r, label);
  expect(pending, 'bills still queued at the end').to.deep.equal([]);
  return r;
}

describe(`fault-injection suite (${FULL ? 'full' : 'CI'} scale)`, function () {
  this.timeout(FULL ? 1_800_000 : 300_000);
  let p: Pipeline | undefined;
  afterEach(async () => {
    await p?.stop();
    p = undefined;
  });

  it(`FAULT-1 kill -9 of worker processes at random moments (${scale(5, 30)} kills during ${scale(150, 1000)} bills), restarted each time`, async () => {
    const s = await startScenario({ invoices: scale(150, 1000), bankFaults: { latencyMs: 40 }, env: { STETPAY_BANK_RPS: String(scale(20, 25)) } }, 3);
    p = s.p;
    const rand = prng();
    const { summary } = await p.run();
    const kills = scale(5, 30);
    const total = summary.byStatus.queued ?? 0;
    let done = 0;
    for (let k = 0; k < kills; k++) {
      // spread the kills over the run: wait until the bank has seen a share of the payments
      const target = Math.floor(((k + 1) / (kills + 1)) * total);
      while (p.bank.payments().length < target && p.stillQueued(s.exp.paid).length > 0) await sleep(20);
      await sleep(Math.floor(rand() * 300));
      const live = p.liveWorkers();
      const victim = live[Math.floor(rand() * live.length)]!;
      victim.kill('SIGKILL');
      await victim.exited;
      done++;
      p.startWorker({ concurrency: 4 }); // not awaited: the others keep working while it boots
    }
    await settleAndCheck(p, s.exp, 'FAULT-1', { extra: { kills: done } });
  });

  it('FAULT-2 Redis crashes mid-run (SIGKILL) and restarts from its AOF (appendfsync everysec)', async () => {
    const s = await startScenario({ invoices: scale(120, 600), aof: true, bankFaults: { latencyMs: 40 }, env: { STETPAY_BANK_RPS: '20' } }, 2);
    p = s.p;
    await p.run();
    while (p.bank.payments().length < s.exp.paid.length / 3) await sleep(20);
    await p.redis.stop('SIGKILL');
    await sleep(1500);
    await p.redis.start();
    await settleAndCheck(p, s.exp, 'FAULT-2', { ledgerMayBeLost: true });
  });

  it('FAULT-3 Redis flushed mid-run (FLUSHALL): the sweeper recovers from Odoo, the bank refuses every second sending', async () => {
    const s = await startScenario({ invoices: scale(120, 600), bankFaults: { latencyMs: 40 }, env: { STETPAY_BANK_RPS: '20' } }, 2);
    p = s.p;
    await p.run();
    while (p.bank.payments().length < s.exp.paid.length / 3) await sleep(20);
    await p.conn().flushall();
    const paymentsAtFlush = p.bank.payments().length;
    const r = await settleAndCheck(p, s.exp, 'FAULT-3', { ledgerMayBeLost: true, extra: { paymentsAtFlush } });
    // The sweeper re-sent bills whose answers the flush erased: the bank refused them, each is needs_review.
    const reposted = [...p.bankPosts()].filter(([, st]) => st.length > 1);
    const bills = new Map(p.bills().map((b) => [b.paymentInformationId, b]));
    for (const [pid, st] of reposted) {
      if (st.filter((x) => x === 201).length === 1) expect(bills.get(pid)?.status, `${pid} posted ${st.join(',')}`).to.be.oneOf(['needs_review', 'submitted', 'accepted']);
    }
    expect(r.bankPayments).to.equal(s.exp.paid.length);
  });

  it('FAULT-4 the bank: 10% 5xx, ~5% time-outs, 429 bursts, record-then-drop', async () => {
    const s = await startScenario({ invoices: scale(120, 1000), bankRequestsPerSecond: 30, env: { STETPAY_BANK_RPS: '40' } }, 3);
    p = s.p;
    await p.run(); // the run's bank check passes before the faults start
    p.bank.setFaults({ error500Rate: 0.05, error503Rate: 0.05, recordThenDropRate: 0.03, seed: 11 });
    const rand = prng(5);
    let stop = false;
    const chaos = (async () => {
      // time-outs: short windows where the bank answers after the client's 1.5 s time-out (~5% of calls);
      // 429 bursts: a run of scripted TMRQ answers every few seconds.
      for (let i = 0; !stop; i++) {
        await sleep(900 + Math.floor(rand() * 200));
        if (stop) break;
        await mergeBankFaults(p!, { latencyMs: 2500 });
        await sleep(50);
        await mergeBankFaults(p!, { latencyMs: 0 });
        if (i % 4 === 3) await mergeBankFaults(p!, { script: [429, 429, 429, 429, 429, 429] });
      }
    })();
    try {
      // the chaos lasts until most payments went through (or a bounded time): the retries of the
      // last ones then run against a healthy bank, within their back-off (5 s doubling)
      const until = Date.now() + scale(40_000, 180_000);
      while (Date.now() < until && p.bank.payments().length < 0.9 * s.exp.paid.length) await sleep(200);
    } finally {
      stop = true;
      await chaos;
    }
    const log = p.bank.requests();
    const extra = {
      answered5xx: log.filter((x) => x.status === 500 || x.status === 503).length,
      answered429: log.filter((x) => x.status === 429).length,
      dropped: log.filter((x) => x.status === 'dropped').length,
      noAnswer: log.filter((x) => x.status === 0).length,
    };
    await settleAndCheck(p, s.exp, 'FAULT-4', { extra });
  });

  it(`FAULT-5 Odoo unreachable for ${scale(5, 60)} s during write-back: nothing lost`, async () => {
    const s = await startScenario({ invoices: scale(100, 600), bankFaults: { latencyMs: 20 }, env: { STETPAY_BANK_RPS: '20' } }, 2);
    p = s.p;
    await p.run();
    while (p.bank.payments().length < 5) await sleep(20);
    await p.odoo.goDown();
    await sleep(scale(5, 60) * 1000);
    const paymentsWhileDown = p.bank.payments().length;
    await p.odoo.comeBack();
    await settleAndCheck(p, s.exp, 'FAULT-5', { extra: { paymentsWhileDown } });
  });

  it('FAULT-6 SIGTERM during a run: in-flight jobs finish, exit 0, nothing half-done', async () => {
    const s = await startScenario({ invoices: scale(100, 600), bankFaults: { latencyMs: 600 }, config: { ...FAST, bank: { responseTimeoutMs: 5000 } } }, 2);
    p = s.p;
    await p.run();
    while (p.bank.payments().length < s.exp.paid.length / 4) await sleep(20);
    const live = p.liveWorkers();
    for (const w of live) w.kill('SIGTERM');
    const exits = await Promise.all(live.map((w) => w.exited));
    expect(exits.map((e) => e.code)).to.deep.equal(live.map(() => 0));
    // nothing half-done: every payment the bank has is written in Odoo already, with its resource id
    const byPid = new Map(p.bills().map((b) => [b.paymentInformationId, b]));
    const half = p.bank.payments().filter((x) => byPid.get(x.paymentInformationId)?.resourceId !== x.resourceId);
    expect(half.map((x) => x.paymentInformationId), 'taken by the bank, not recorded in Odoo').to.deep.equal([]);
    const takenAtStop = p.bank.payments().length;
    p.startWorker({ concurrency: 4 });
    await settleAndCheck(p, s.exp, 'FAULT-6', { extra: { takenAtStop } });
  });

  it('FAULT-7 a corpus of 60 bad bills: each gets its own reason, none reaches the bank, the good ones are paid', async () => {
    const s = await startScenario({ invoices: scale(200, 1000) }, 2);
    p = s.p;
    const corpus = corruptBills(p, s.exp.paid, 6);
    const { summary } = await p.run();
    const bad = corpus.map((c) => c.billId);
    const good = s.exp.paid.filter((id) => !bad.includes(id));
    const exp = { paid: good, invalid: [...s.exp.invalid, ...bad], untouched: s.exp.untouched };
    const byBill = new Map(summary.invalid.map((i) => [i.billId, i.reasons.map((r) => r.code)]));
    const odoo = new Map(p.bills().map((b) => [b.id, b]));
    const wrong: string[] = [];
    for (const c of corpus) {
      const codes = byBill.get(c.billId) ?? [];
      const b = odoo.get(c.billId)!;
      if (b.status !== 'invalid' || !b.reason) wrong.push(`${c.kind} bill ${c.billId}: ${b.status} / ${b.reason}`);
      if (!codes.includes(c.code)) wrong.push(`${c.kind} bill ${c.billId}: expected ${c.code}, got ${codes.join(',') || 'none'}`);
    }
    expect(wrong, 'bad bills without their own reason').to.deep.equal([]);
    await settleAndCheck(p, exp, 'FAULT-7', { extra: { badBills: corpus.length, kinds: new Set(corpus.map((c) => c.kind)).size } });
    // at the bank: submitted, or further on by the time the sweeps' syncs have run (the sandbox consents at once)
    const paid = p.bills().filter((b) => good.includes(b.id) && ['submitted', 'accepted', 'executed'].includes(b.status ?? '')).length;
    expect(paid).to.equal(good.length);
  });
});

interface Corrupted {
  billId: number;
  kind: string;
  code: string;
}

/**
 * Breaks `perKind` good bills per kind, through the dev server's store (as a
 * clerk's edits would): each bad bill gets its own bank account or value, so
 * the other bills of the same supplier stay good.
 */
function corruptBills(p: Pipeline, payable: number[], perKind: number): Corrupted[] {
  const st = p.odoo.store;
  const usd = st.search('res.currency', [['name', '=', 'USD']])[0]!;
  const eur = st.search('res.currency', [['name', '=', 'EUR']])[0]!;
  const otherPartner = st.search('res.partner', [['is_company', '=', true]]).slice(-1)[0]!;
  const badBic = st.insert('res.bank', { name: 'Banque Fantôme', bic: 'NOT-A-BIC' });
  const account = (billId: number, values: Record<string, unknown>): number => {
    const bill = st.read('account.move', [billId])[0]!;
    const partnerId = Array.isArray(bill.partner_id) ? bill.partner_id[0] : bill.partner_id;
    const good = st.read('res.partner.bank', [Number(Array.isArray(bill.partner_bank_id) ? bill.partner_bank_id[0] : bill.partner_bank_id)])[0]!;
    const id = st.insert('res.partner.bank', { acc_number: good.acc_number, partner_id: partnerId, bank_id: good.bank_id, currency_id: eur, active: true, allow_out_payment: true, sequence: 50, ...values });
    st.update('account.move', billId, { partner_bank_id: id });
    return id;
  };
  const flip = (iban: string): string => iban.replace(/\s/g, '').slice(0, -2) + (iban.replace(/\s/g, '').slice(-2) === '00' ? '01' : '00');
  const kinds: { kind: string; code: string; apply: (billId: number) => void }[] = [
    { kind: 'iban-checksum', code: 'IBAN_CHECKSUM', apply: (id) => { const a = account(id, {}); st.update('res.partner.bank', a, { acc_number: flip(String(st.read('res.partner.bank', [a])[0]!.acc_number)) }); } },
    { kind: 'iban-garbage', code: 'IBAN_FORMAT', apply: (id) => account(id, { acc_number: 'FR76 not an IBAN at all!' }) },
    { kind: 'iban-not-sepa', code: 'IBAN_COUNTRY_NOT_SEPA', apply: (id) => account(id, { acc_number: 'BR1800360305000010009795493C1' }) },
    { kind: 'bic-invalid', code: 'BIC_INVALID', apply: (id) => account(id, { bank_id: badBic }) },
    { kind: 'usd', code: 'CURRENCY_NOT_EUR', apply: (id) => st.update('account.move', id, { currency_id: usd }) },
    { kind: 'zero', code: 'AMOUNT_ZERO', apply: (id) => st.update('account.move', id, { amount_total: 0, amount_residual: 0 }) },
    { kind: 'no-account', code: 'NO_BANK_ACCOUNT', apply: (id) => st.update('account.move', id, { partner_bank_id: false }) },
    { kind: 'untrusted', code: 'ACCOUNT_NOT_TRUSTED', apply: (id) => account(id, { allow_out_payment: false }) },
    { kind: 'foreign-owner', code: 'ACCOUNT_NOT_SUPPLIERS', apply: (id) => account(id, { partner_id: otherPartner }) },
    { kind: 'unregistered', code: 'BENEFICIARY_NOT_REGISTERED', apply: (id) => account(id, { acc_number: 'DE89370400440532013000' }) },
  ];
  const out: Corrupted[] = [];
  const pool = [...payable].reverse();
  for (const k of kinds) {
    for (let i = 0; i < perKind; i++) {
      const billId = pool.shift();
      if (billId === undefined) throw new Error('not enough payable bills for the corpus: seed more');
      k.apply(billId);
      out.push({ billId, kind: k.kind, code: k.code });
    }
  }
  return out;
}
