/**
 * Verification of Payee in the run, end to end: the Odoo dev server, the VoP
 * sandbox over mutual TLS and real Redis. stetpay runs as the daily invoicing
 * user (the clerk: Billing, no Settings, no Contact Creation); install ran once
 * as the administrator. Each rule with its exact outcome on the bill and on the
 * payee check records (x_stet_payee_check).
 */
import { expect } from 'chai';
import { installFields, readTrackedBills, type OdooClient } from '../../connector/odoo/index.js';
import { getBankProfile } from '../../connector/profiles/index.js';
import { BULK_OPT_OUT_NOTE, formatIban, paymentIds, sepaName } from '../../connector/rules/index.js';
import { openPayeeVerifier } from '../../plugin/run/payee-checks.js';
import { vopSectionFor } from '../../plugin/demo/embedded-parts.js';
import { makeReport } from '../../plugin/report/index.js';
import { runPayments } from '../../plugin/run/run-payments.js';
import { makeTestCertificates, type TestCertificates } from '../../sandbox/bank/certs.js';
import { startOdooDevServer, type RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { startVopSandbox, type RunningVopSandbox } from '../../sandbox/vop/index.js';
import { StetpayQueues } from '../../worker/index.js';
import { CERTS_DIR } from '../bank/harness.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { adminClient, clerkClient } from '../odoo/helpers.js';
import { approveAs, clerkRunConfig, confirmAccountAs } from '../support/approvals.js';

const NOW = new Date('2026-11-25T09:00:00+01:00');
const profile = getBankProfile('nwm-18919');

describe('Verification of Payee in the run (dev server, VoP sandbox, Redis)', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let certs: TestCertificates;
  let server: RunningOdooDevServer;
  let vop: RunningVopSandbox;
  /** stetpay's daily user (the clerk). */
  let odoo: OdooClient;
  /** Mitchell Admin: a person in the Billing Administrator group (Billing implied), who may also change bank accounts. */
  let admin: OdooClient;
  const open: { close(): unknown }[] = [];

  /** The seed's accounts: the close match, the mismatch, one answered NOAP (its bank takes no part), and the plain ones. */
  let close: { accountId: number; iban: string; heldName: string };
  let mismatch: { accountId: number; iban: string; heldName: string };
  let noap: number;

  function configFor(vopSection: Record<string, unknown>) {
    return clerkRunConfig(server, redis.url, certs, { vop: vopSection });
  }

  /** A run as `stetpay run` does it, with its own queues and provider client. */
  async function run(config: ReturnType<typeof configFor>) {
    const queues = await StetpayQueues.open({ connection: redis.url, prefix: config.redis.prefix });
    open.push(queues);
    const payeeVerifier = openPayeeVerifier(config.vop);
    if (payeeVerifier) open.push(payeeVerifier);
    return runPayments({ odoo, config, profile, queues, now: NOW, payeeVerifier });
  }

  const plainBills = () => server.seedInfo!.billIds.filter((id) => !server.seedInfo!.problems[id]);
  const accountOf = (billId: number) => server.store.value('account.move', billId, 'partner_bank_id') as number;
  const billsOf = (accountId: number) => plainBills().filter((id) => accountOf(id) === accountId);
  const bill = (id: number) => server.store.read('account.move', [id])[0]!;
  const account = (id: number) => server.store.read('res.partner.bank', [id])[0]!;
  /** The payee checks of an account, oldest first. */
  const checksOf = (accountId: number) => server.store.read('x_stet_payee_check', server.store.search('x_stet_payee_check', [['x_bank_account_id', '=', accountId]], 'id asc'));
  /** The payee check a bill is linked to. */
  const checkOfBill = (billId: number) => server.store.read('x_stet_payee_check', [bill(billId).x_stet_payee_check_id as number])[0]!;
  const userName = (uid: unknown) => String(server.store.value('res.users', uid as number, 'name'));
  /** The bill's chatter notes, oldest first. */
  const notes = (billId: number) => server.store.read('mail.message', server.store.search('mail.message', [['model', '=', 'account.move'], ['res_id', '=', billId]], 'id asc')).map((m) => String(m.body));
  /** The name the payment carries: the holder name, else the supplier's, in SEPA text (what the mapping sends). */
  const sentName = (accountId: number) => sepaName(String(account(accountId).acc_holder_name || '')) || sepaName(String(server.store.value('res.partner', account(accountId).partner_id as number, 'name')));
  const ibanOf = (accountId: number) => String(account(accountId).sanitized_acc_number);

  before(async () => {
    redis = await startRedis();
    certs = await makeTestCertificates(CERTS_DIR);
  });
  after(async () => {
    await redis?.stop();
  });

  beforeEach(async () => {
    server = await startOdooDevServer({ version: 17, seed: { invoices: 40, seed: 7, today: '2026-11-25' } });
    const info = server.seedInfo!;
    const problem = (kind: string) => info.payeeProblems.find((p) => p.kind === kind)!;
    close = problem('close_match');
    mismatch = problem('no_match');
    noap = [...new Set(plainBills().map(accountOf))].find((a) => a !== close.accountId && a !== mismatch.accountId)!;
    vop = await startVopSandbox({ certsDir: CERTS_DIR, accounts: info.payees, notParticipating: [ibanOf(noap)] });
    admin = await adminClient(server, { install: true });
    odoo = await clerkClient(server);
  });
  afterEach(async () => {
    for (const o of open.splice(0)) await o.close();
    odoo?.close();
    admin?.close();
    await vop?.close();
    await server?.close();
  });

  it('VOP-RUN-01 each result with its exact outcome: MTCH queued, CMTC held with the name held, NMTC held, NOAP queued with a note (notPossible warn); the evidence on the bank account and the bill', async () => {
    const s = await run(configFor(vopSectionFor(vop)));
    // CMTC: held, no ids reserved, the reason says what to do.
    const heldClose = billsOf(close.accountId);
    expect(heldClose.length).to.be.above(0);
    const shown = formatIban(close.iban);
    for (const id of heldClose) {
      const b = bill(id);
      expect(b.x_stet_status).to.equal('held');
      expect(b.x_stet_status_reason).to.equal(
        `VOP_CLOSE_MATCH: Bill ${String(b.name)}: held, not sent: the payee's bank holds the name '${close.heldName}' for account ${shown}, close to but not the name on the payment, '${sentName(close.accountId)}' (Verification of Payee: close match). ` +
          `Check with the supplier, then either have the account holder name on the supplier's bank account set to '${close.heldName}', or, if '${sentName(close.accountId)}' is right, tick 'Payee confirmed' on the bill's payee check (Bank payment page); the next run pays the bill.`,
      );
      expect([b.x_stet_end_to_end_id, b.x_stet_payment_information_id, b.x_stet_attempt || 0]).to.deep.equal([false, false, 0]);
      expect(notes(id)).to.have.length(1);
      expect(notes(id)[0]).to.contain('stetpay: held, not sent to the bank yet: VOP_CLOSE_MATCH: ');
    }
    // NMTC: held with its reason.
    for (const id of billsOf(mismatch.accountId)) {
      expect(bill(id).x_stet_status).to.equal('held');
      expect(String(bill(id).x_stet_status_reason)).to.equal(
        `VOP_NO_MATCH: Bill ${String(bill(id).name)}: held, not sent: the payee's bank says account ${formatIban(mismatch.iban)} is not held by '${sentName(mismatch.accountId)}' (Verification of Payee: no match); the IBAN may have been changed by a fraudster. ` +
          `Call the supplier on a number you already had (not one from the invoice), have the IBAN or the name on the supplier's bank account corrected, or, only if the supplier confirms this very account, tick 'Payee confirmed' on the bill's payee check (Bank payment page); the next run looks again.`,
      );
    }
    // NOAP with vop.notPossible warn: sent, its note says so.
    for (const id of billsOf(noap)) {
      expect(bill(id).x_stet_status).to.equal('queued');
      expect(notes(id).at(-1)).to.contain(`Verification of Payee: check not possible (NOAP) for '${sentName(noap)}' and ${formatIban(ibanOf(noap))}; sent anyway (vop.notPossible is warn;`);
    }
    // MTCH: queued, the note names the check.
    const matched = plainBills().filter((id) => ![close.accountId, mismatch.accountId, noap].includes(accountOf(id)));
    expect(matched.length).to.be.above(5);
    for (const id of matched) {
      expect(bill(id).x_stet_status).to.equal('queued');
      expect(notes(id).at(-1)).to.match(/Verification of Payee: the payee's bank confirms '.+' holds [A-Z]{2}\d\d[ A-Z0-9]+: match \(MTCH; reference VOP-SBX-\d{6}-[0-9a-f]{6}, checked \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)\./);
    }
    // The evidence: one payee check per account, IBAN and name, each bill linked to its own; read through the bill's related fields.
    const [closeCheck] = checksOf(close.accountId);
    expect(checksOf(close.accountId)).to.have.length(1);
    expect(closeCheck).to.deep.include({ x_name: `${shown} · ${sentName(close.accountId)}`, x_iban: close.iban, x_payee_name: sentName(close.accountId), x_result: 'CMTC', x_matched_name: close.heldName, x_confirmed: false });
    expect(String(closeCheck!.x_reference)).to.match(/^VOP-SBX-/);
    expect(userName(closeCheck!.create_uid)).to.equal('Camille Bérot');
    for (const id of heldClose) expect(bill(id).x_stet_payee_check_id).to.equal(closeCheck!.id);
    expect(checksOf(mismatch.accountId).map((c) => [c.x_result, c.x_matched_name])).to.deep.equal([['NMTC', false]]);
    expect(checksOf(noap).map((c) => [c.x_result, c.x_matched_name, c.x_reason_code])).to.deep.equal([['NOAP', false, 'NOPT']]);
    expect(checksOf(accountOf(matched[0]!)).map((c) => c.x_result)).to.deep.equal(['MTCH']);
    for (const id of matched) expect(checkOfBill(id).x_bank_account_id).to.equal(accountOf(id));
    const [onBill] = await odoo.call<Record<string, unknown>[]>('account.move', 'read', [[heldClose[0]]], { fields: ['x_stet_payee_check_id', 'x_stet_vop_result', 'x_stet_vop_name', 'x_stet_vop_checked_at', 'x_stet_vop_confirmed'] });
    expect(onBill).to.deep.include({ x_stet_payee_check_id: [closeCheck!.id, `${shown} · ${sentName(close.accountId)}`], x_stet_vop_result: 'CMTC', x_stet_vop_name: close.heldName, x_stet_vop_confirmed: false });
    expect(String(onBill!.x_stet_vop_checked_at)).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    // The daily user never touches a bank account.
    expect(Object.keys(server.calls()).filter((c) => /^res\.partner\.bank\.(write|create|load|unlink)$/.test(c))).to.deep.equal([]);
    // The summary: held bills listed with their code; one request for every distinct pair.
    expect(s.byStatus.held).to.equal(billsOf(close.accountId).length + billsOf(mismatch.accountId).length);
    expect(s.invalid.filter((p) => p.status === 'held').map((p) => p.reasons[0]!.code).sort()).to.deep.equal(
      [...billsOf(close.accountId).map(() => 'VOP_CLOSE_MATCH'), ...billsOf(mismatch.accountId).map(() => 'VOP_NO_MATCH')].sort(),
    );
    const pairs = new Set(plainBills().map(accountOf)).size;
    expect(s.payeeChecks).to.deep.include({ mode: 'enforce', pairs, asked: pairs, fromCache: 0, requests: 1, noAnswer: 0 });
    expect(s.payeeChecks!.byResult).to.deep.equal({ MTCH: pairs - 3, CMTC: 1, NMTC: 1, NOAP: 1 });
    expect(vop.requests()).to.have.length(1);
  });

  it('VOP-RUN-02 the cache: a second run asks the provider nothing new, and a bill held for the same reason gets no second note', async () => {
    const config = configFor(vopSectionFor(vop));
    await run(config);
    const [held] = billsOf(close.accountId);
    const requests = vop.requests().length;
    const writesBefore = server.calls()['account.move.load'] ?? 0;
    const again = await run(config);
    expect(vop.requests().length).to.equal(requests);
    expect(again.payeeChecks).to.deep.include({ pairs: 2, asked: 0, fromCache: 2, requests: 0 });
    expect(again.byStatus).to.deep.equal({ held: billsOf(close.accountId).length + billsOf(mismatch.accountId).length });
    expect(notes(held!)).to.have.length(1);
    expect(server.calls()['account.move.load'] ?? 0).to.equal(writesBefore);
  });

  it('VOP-RUN-03 a close match confirmed by a person on the payee check is paid by the next run, naming who confirmed it as Odoo records it', async () => {
    const config = configFor(vopSectionFor(vop));
    await run(config);
    const [first] = billsOf(close.accountId);
    const checkId = bill(first!).x_stet_payee_check_id as number;
    // Mitchell Admin (Billing Administrator) opens the bill's payee check and ticks Payee confirmed.
    await admin.call('x_stet_payee_check', 'write', [[checkId], { x_confirmed: true }]);
    const next = await run(config);
    for (const id of billsOf(close.accountId)) {
      expect(bill(id).x_stet_status).to.equal('queued');
      expect(bill(id).x_stet_status_reason).to.equal(false);
      expect(bill(id).x_stet_payee_check_id).to.equal(checkId);
      expect(notes(id).at(-1)).to.contain(`Verification of Payee: close match (CMTC) for '${sentName(close.accountId)}' and ${formatIban(close.iban)}; the payee's bank holds '${close.heldName}'; sent because Mitchell Admin confirmed the payee in Odoo (reference VOP-SBX-`);
      expect(next.queuedBillIds).to.include(id);
    }
    // stetpay wrote nothing on the check: it still names the person
    expect(checksOf(close.accountId)).to.have.length(1);
    expect(checksOf(close.accountId)[0]).to.deep.include({ x_confirmed: true, x_result: 'CMTC' });
    expect(userName(checksOf(close.accountId)[0]!.write_uid)).to.equal('Mitchell Admin');
    const [onBill] = await odoo.call<Record<string, unknown>[]>('account.move', 'read', [[first]], { fields: ['x_stet_vop_confirmed', 'x_stet_vop_confirmed_by'] });
    expect(onBill).to.deep.include({ x_stet_vop_confirmed: true });
    expect((onBill!.x_stet_vop_confirmed_by as [number, string])[1]).to.equal('Mitchell Admin');
    // the mismatch, confirmed by nobody, stays held
    for (const id of billsOf(mismatch.accountId)) expect(bill(id).x_stet_status).to.equal('held');
    const report = await makeReport(odoo, { format: 'json', now: NOW });
    expect(report.rows.find((r) => r.billId === first)!.payeeCheck).to.equal('CMTC, confirmed by Mitchell Admin');
  });

  it('VOP-RUN-03b who confirmed cannot be typed in: a confirmation claiming another user names the one who made it', async () => {
    const config = configFor(vopSectionFor(vop));
    await run(config);
    const [first] = billsOf(close.accountId);
    const checkId = bill(first!).x_stet_payee_check_id as number;
    const adminUid = server.store.search('res.users', [['login', '=', 'admin']])[0]!;
    await odoo.call('x_stet_payee_check', 'write', [[checkId], { x_confirmed: true, write_uid: adminUid }]);
    await run(config);
    expect(notes(first!).at(-1)).to.contain('sent because Camille Bérot confirmed the payee in Odoo');
  });

  it('VOP-RUN-04 a close match corrected on the bank account (by a user who may change bank accounts) is checked again and paid, under a new payee check', async () => {
    const config = configFor(vopSectionFor(vop));
    await run(config);
    const [old] = checksOf(close.accountId);
    const nameBefore = sentName(close.accountId);
    await admin.call('res.partner.bank', 'write', [[close.accountId], { acc_holder_name: close.heldName }]);
    // approved for the old holder name, and an account changed today: held until approved again and confirmed by an approver other than its changer
    await run(config);
    for (const id of billsOf(close.accountId)) expect(String(bill(id).x_stet_status_reason)).to.match(/^APPROVAL_CHANGED: .*now account holder/);
    await approveAs(server, 'approver', billsOf(close.accountId));
    await approveAs(server, 'approver2', billsOf(close.accountId));
    await confirmAccountAs(server, 'approver', [close.accountId]);
    const next = await run(config);
    expect(next.payeeChecks).to.deep.include({ asked: 1, fromCache: 1 });
    for (const id of billsOf(close.accountId)) expect(bill(id).x_stet_status).to.equal('queued');
    // the earlier check stays as evidence; the bills point at the new one
    expect(checksOf(close.accountId).map((c) => [c.id, c.x_result, c.x_payee_name, c.x_matched_name])).to.deep.equal([
      [old!.id, 'CMTC', nameBefore, close.heldName],
      [checksOf(close.accountId)[1]!.id, 'MTCH', sepaName(close.heldName), false],
    ]);
    for (const id of billsOf(close.accountId)) expect(bill(id).x_stet_payee_check_id).to.equal(checksOf(close.accountId)[1]!.id);
  });

  it('VOP-RUN-05 a confirmation holds for the result the person saw: when the answer changes it is cleared and the bill held again', async () => {
    const config = configFor({ ...vopSectionFor(vop), cacheHours: 0 });
    await run(config);
    const [check] = checksOf(close.accountId);
    await admin.call('x_stet_payee_check', 'write', [[check!.id], { x_confirmed: true }]);
    vop.setAccounts([{ iban: close.iban, name: 'Société Écran Offshore' }]); // the account changed hands at its bank
    await run(config);
    for (const id of billsOf(close.accountId)) {
      expect(bill(id).x_stet_status).to.equal('held');
      expect(String(bill(id).x_stet_status_reason)).to.match(/^VOP_NO_MATCH: /);
    }
    expect(checksOf(close.accountId)).to.have.length(1);
    expect(checksOf(close.accountId)[0]).to.deep.include({ x_result: 'NMTC', x_matched_name: false, x_confirmed: false });
  });

  it('VOP-RUN-14 a held bill keeps the recovery rules: put back after a rejected attempt 1, it is held with that attempt\'s closure recorded in Odoo, then paid as attempt 2 once the payee is confirmed', async () => {
    const config = configFor(vopSectionFor(vop));
    const [billId] = billsOf(close.accountId);
    // As stetpay retry leaves a rejected bill whose proof is in Redis: no status, attempt 1, not yet recorded closed in Odoo.
    await admin.call('account.move', 'write', [[billId], { x_stet_attempt: 1, x_stet_closed_attempt: 0 }]);
    const queues = await StetpayQueues.open({ connection: redis.url, prefix: config.redis.prefix });
    open.push(queues);
    const first = paymentIds(server.database, billId!, 1);
    await queues.ledger.claim({ paymentInformationId: first.paymentInformationId, token: 't', billId: billId!, endToEndId: first.endToEndId });
    await queues.ledger.markFinal(first.paymentInformationId, { status: 'rejected', reason: 'AC01' });
    await run(config);
    expect(bill(billId!)).to.deep.include({ x_stet_status: 'held', x_stet_attempt: 1, x_stet_closed_attempt: 1, x_stet_end_to_end_id: false });
    await admin.call('x_stet_payee_check', 'write', [[bill(billId!).x_stet_payee_check_id], { x_confirmed: true }]);
    // Redis no longer needed as proof: Odoo records attempt 1 closed
    await queues.redis.del(queues.ledger.key(first.paymentInformationId));
    const next = await run(config);
    expect(next.queuedBillIds).to.include(billId);
    expect(bill(billId!)).to.deep.include({ x_stet_status: 'queued', x_stet_attempt: 2, x_stet_end_to_end_id: paymentIds(server.database, billId!, 2).endToEndId });
  });

  it('VOP-RUN-06 NOAP under vop.notPossible hold: held with its reason, no ids reserved', async () => {
    await run(configFor({ ...vopSectionFor(vop), notPossible: 'hold' }));
    for (const id of billsOf(noap)) {
      expect(bill(id).x_stet_status).to.equal('held');
      expect(bill(id).x_stet_status_reason).to.equal(
        `VOP_NOT_POSSIBLE: Bill ${String(bill(id).name)}: held, not sent: the payee's bank could not check the name '${sentName(noap)}' for account ${formatIban(ibanOf(noap))} (Verification of Payee: check not possible, reason NOPT) and stetpay holds such payments (vop.notPossible: hold). ` +
          `Confirm the account with the supplier, then tick 'Payee confirmed' on the bill's payee check (Bank payment page), or wait: the next run asks again.`,
      );
      expect(bill(id).x_stet_end_to_end_id).to.equal(false);
    }
  });

  it('VOP-RUN-07 a time-out: under hold every bill of the request is held and nothing is cached; the next run asks again and pays the matches', async () => {
    const config = configFor({ ...vopSectionFor(vop), notPossible: 'hold', timeoutMs: 800 });
    vop.setFaults({ script: ['timeout'] });
    const first = await run(config);
    expect(first.byStatus).to.deep.include({ held: plainBills().length });
    expect(first.byStatus.queued ?? 0).to.equal(0);
    expect(first.payeeChecks).to.deep.include({ noAnswer: first.payeeChecks!.pairs, asked: first.payeeChecks!.pairs });
    const [some] = plainBills();
    expect(String(bill(some!).x_stet_status_reason)).to.match(/^VOP_UNAVAILABLE: Bill .+: held, not sent: the Verification of Payee service gave no answer for account .+ \(the Verification of Payee provider did not answer within 800 ms/);
    expect(checksOf(accountOf(some!))).to.deep.equal([]); // no evidence of a check that was not made
    expect(bill(some!).x_stet_payee_check_id).to.equal(false);
    const second = await run(config);
    expect(second.payeeChecks).to.deep.include({ fromCache: 0, requests: 1, noAnswer: 0 });
    expect(second.byStatus.queued).to.equal(plainBills().length - billsOf(close.accountId).length - billsOf(mismatch.accountId).length - billsOf(noap).length);
  });

  it('VOP-RUN-08 a time-out under vop.notPossible warn: sent, the note saying no check was made', async () => {
    vop.setFaults({ script: ['timeout'] });
    const s = await run(configFor({ ...vopSectionFor(vop), timeoutMs: 800 }));
    expect(s.byStatus.held ?? 0).to.equal(0);
    const [id] = plainBills();
    expect(notes(id!).at(-1)).to.match(/Verification of Payee: no answer \(the Verification of Payee provider did not answer within 800 ms .*\); sent without the check \(vop\.notPossible is warn\)\.<\/p>$/s);
  });

  it('VOP-RUN-09 vop.mode warn checks and records, never holds: the close match and the mismatch are sent with their notes', async () => {
    const s = await run(configFor(vopSectionFor(vop, 'warn')));
    expect(s.byStatus.held ?? 0).to.equal(0);
    for (const id of billsOf(mismatch.accountId)) {
      expect(bill(id).x_stet_status).to.equal('queued');
      expect(notes(id).at(-1)).to.contain(`Verification of Payee: no match (NMTC) for '${sentName(mismatch.accountId)}' and ${formatIban(mismatch.iban)}; sent anyway (vop.mode is warn;`);
    }
    expect(checksOf(close.accountId).map((c) => c.x_result)).to.deep.equal(['CMTC']);
  });

  it('VOP-RUN-10 vop.mode off sends as today: no request, no note, no evidence', async () => {
    const s = await run(configFor({ mode: 'off' }));
    expect(vop.requests()).to.deep.equal([]);
    expect(s.payeeChecks).to.equal(undefined);
    expect(s.byStatus.held ?? 0).to.equal(0);
    expect(s.byStatus.queued).to.equal(plainBills().length);
    for (const id of plainBills()) expect(notes(id).join('\n')).not.to.contain('Verification of Payee');
    expect(server.store.search('x_stet_payee_check')).to.deep.equal([]);
    for (const id of plainBills()) expect(bill(id).x_stet_payee_check_id).to.equal(false);
    expect(s.warnings.join('\n')).not.to.contain('Verification of Payee');
  });

  it('VOP-RUN-11 the bulk opt-out (Art. 5c(6)): no check, and every payment sent says so in its note', async () => {
    const s = await run(configFor({ ...vopSectionFor(vop), bulkOptOut: true }));
    expect(vop.requests()).to.deep.equal([]);
    expect(s.byStatus.queued).to.equal(plainBills().length);
    for (const id of plainBills()) expect(notes(id).at(-1)).to.contain(BULK_OPT_OUT_NOTE);
    expect(s.payeeChecks!.optedOut).to.equal(plainBills().length);
  });

  it('VOP-RUN-12 without vop.url, warn (the default) sends as before and the summary says no check is made', async () => {
    const s = await run(configFor({}));
    expect(s.byStatus.held ?? 0).to.equal(0);
    expect(s.warnings).to.include("Verification of Payee is not configured (vop.url): payments are sent without a check of the payee's name; set vop.url, vop.cert and vop.key (docs/vop.md), or vop.mode off to silence this.");
  });

  it('VOP-REPORT the report has the payee check of each payment\'s account, held bills included (CSV, HTML, JSON)', async () => {
    await run(configFor(vopSectionFor(vop)));
    const json = await makeReport(odoo, { format: 'json', now: NOW });
    const byBill = new Map(json.rows.map((r) => [r.billId, r]));
    for (const id of billsOf(close.accountId)) expect(byBill.get(id)).to.deep.include({ status: 'held', payeeCheck: 'CMTC' });
    for (const id of billsOf(mismatch.accountId)) expect(byBill.get(id)).to.deep.include({ status: 'held', payeeCheck: 'NMTC' });
    for (const id of billsOf(noap)) expect(byBill.get(id)).to.deep.include({ status: 'queued', payeeCheck: 'NOAP' });
    const csv = await makeReport(odoo, { format: 'csv', now: NOW });
    const [header, ...lines] = csv.text.slice(1).split('\r\n');
    expect(header!.split(',')).to.include('Payee check (VoP)');
    expect(lines.find((l) => l.startsWith(String(bill(billsOf(mismatch.accountId)[0]!).name) + ','))).to.contain(',held,NMTC,');
    const html = await makeReport(odoo, { format: 'html', now: NOW });
    expect(html.text).to.contain('<th>Payee check (VoP)</th>').and.contain('<td>CMTC</td>');
    const tracked = await readTrackedBills(odoo, { statuses: ['held'] });
    expect(tracked.length).to.equal(billsOf(close.accountId).length + billsOf(mismatch.accountId).length);
  });

  it('VOP-RUN-13 a provider refusing stetpay\'s certificate stops the run before anything is reserved', async () => {
    const config = configFor({ ...vopSectionFor(vop), cert: certs.serverCertPath, key: certs.serverKeyPath });
    let err: unknown;
    try {
      await run(config);
    } catch (e) {
      err = e;
    }
    expect((err as Error).name).to.equal('PayeeVerificationRefusedError');
    expect((await readTrackedBills(odoo, {})).length).to.equal(0);
  });

  for (const version of [16, 17, 18] as const) {
    it(`VOP-ODOO-${version} the evidence on Odoo ${version}: payee checks written by the daily user, listed on the bank account, shown on the bill through its link`, async () => {
      odoo.close();
      admin.close();
      await server.close();
      server = await startOdooDevServer({ version, seed: { invoices: 40, seed: 7, today: '2026-11-25' } });
      admin = await adminClient(server);
      const installed = await installFields(admin);
      expect(installed.payeeChecks).to.deep.include({ model: 'created', accountView: 'created', form: 'created' });
      odoo = await clerkClient(server);
      await vop.close();
      vop = await startVopSandbox({ certsDir: CERTS_DIR, accounts: server.seedInfo!.payees });
      await run(configFor(vopSectionFor(vop)));
      const fields = await odoo.call<Record<string, { type: string; selection?: [string, string][] }>>('x_stet_payee_check', 'fields_get', [['x_result', 'x_confirmed', 'x_checked_at', 'x_bank_account_id']], { attributes: ['type', 'selection'] });
      expect(fields.x_result!.selection).to.deep.equal([['MTCH', 'Match'], ['CMTC', 'Close match'], ['NMTC', 'No match'], ['NOAP', 'Check not possible']]);
      expect([fields.x_confirmed!.type, fields.x_checked_at!.type, fields.x_bank_account_id!.type]).to.deep.equal(['boolean', 'datetime', 'many2one']);
      const [acc] = await odoo.call<{ x_stet_payee_check_ids: number[] }[]>('res.partner.bank', 'read', [[close.accountId]], { fields: ['x_stet_payee_check_ids'] });
      const evidence = await odoo.call<Record<string, unknown>[]>('x_stet_payee_check', 'read', [acc!.x_stet_payee_check_ids], { fields: ['x_result', 'x_matched_name', 'x_iban', 'x_reference', 'write_uid'] });
      expect(evidence).to.have.length(1);
      expect(evidence[0]).to.deep.include({ x_result: 'CMTC', x_matched_name: close.heldName, x_iban: close.iban });
      expect((evidence[0]!.write_uid as [number, string])[1]).to.equal('Camille Bérot');
      const [held] = billsOf(close.accountId);
      const [onBill] = await odoo.call<Record<string, unknown>[]>('account.move', 'read', [[held]], { fields: ['x_stet_status', 'x_stet_vop_result', 'x_stet_vop_name'] });
      expect(onBill).to.deep.include({ x_stet_status: 'held', x_stet_vop_result: 'CMTC', x_stet_vop_name: close.heldName });
      const billFields = await odoo.call<Record<string, { readonly: boolean; selection: [string, string][] }>>('account.move', 'fields_get', [['x_stet_vop_result', 'x_stet_status']], { attributes: ['readonly', 'selection'] });
      expect(billFields.x_stet_vop_result!.readonly).to.equal(true);
      expect(billFields.x_stet_status!.selection.map(([v]) => v)).to.include('held').and.include('withdrawn');
      const views = server.store.read('ir.ui.view', server.store.search('ir.ui.view', [['name', 'in', ['res.partner.bank.form.stetpay', 'account.move.form.stetpay', 'x_stet_payee_check.form.stetpay']]]));
      expect(views.map((v) => String(v.arch_db)).join('\n')).to.contain('<field name="x_confirmed"/>').and.contain('<field name="x_stet_payee_check_id" readonly="1"/>').and.contain('<field name="x_stet_payee_check_ids"');
      expect(Object.keys(server.calls()).filter((c) => /^res\.partner\.bank\.(write|create|load|unlink)$/.test(c))).to.deep.equal([]);
    });
  }
});
