/**
 * Approvals in the run, end to end on the Odoo dev server (17 unless said):
 * people approve with the server actions `stetpay install` created (run as
 * Odoo's web client runs them), stetpay runs as the daily invoicing user (the
 * clerk), and each rule ends with its exact outcome on the bill.
 */
import { expect } from 'chai';
import { readApprovals, type OdooClient } from '../../connector/odoo/index.js';
import { getBankProfile } from '../../connector/profiles/index.js';
import { runPayments } from '../../plugin/run/run-payments.js';
import type { TestCertificates } from '../../sandbox/bank/certs.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { StetpayQueues } from '../../worker/index.js';
import type { TestRedis } from '../support/redis-server.js';
import { adminClient } from '../odoo/helpers.js';
import { BANK_PAYMENT_FILTERS } from '../../connector/odoo/install-menu.js';
import { ruleDomain } from '../../sandbox/odoo/record-rules.js';
import { actionId, approveAs, clerkRunConfig, clerkStack, clientAs, confirmAccountAs } from '../support/approvals.js';

const profile = getBankProfile('nwm-18919');

describe('approvals in the run (dev server, Redis)', function () {
  this.timeout(30_000);
  const stack = clerkStack({ invoices: 40, seed: 7 });
  const open = stack.open;
  let redis: TestRedis;
  let certs: TestCertificates;
  let server: RunningOdooDevServer;
  let odoo: OdooClient;
  beforeEach(() => ({ redis, certs, server, odoo } = stack));

  async function run(approvals: Record<string, unknown> = {}) {
    const config = clerkRunConfig(server, redis.url, certs, { approvals });
    const queues = await StetpayQueues.open({ connection: redis.url, prefix: config.redis.prefix });
    open.push(queues);
    return runPayments({ odoo, config, profile, queues, now: new Date() });
  }

  const info = () => server.seedInfo!;
  const bill = (id: number) => server.store.read('account.move', [id])[0]!;
  const amount = (id: number) => Number(bill(id).amount_residual);
  const plain = () => info().billIds.filter((id) => !info().problems[id]);
  const small = () => plain().filter((id) => amount(id) <= 5000);
  const big = () => plain().filter((id) => amount(id) > 10_000);
  const approvalsOf = (billId: number) => server.store.read('x_stet_approval', server.store.search('x_stet_approval', [['x_move_id', '=', billId]], 'id asc'));
  const forget = (billId: number, login?: string) => {
    for (const a of approvalsOf(billId)) if (!login || a.create_uid === server.user(login).uid) server.store.remove('x_stet_approval', a.id);
  };
  const status = (id: number) => [bill(id).x_stet_status, String(bill(id).x_stet_status_reason || '')];
  const utc = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');
  const dayOf = (d: Date) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/Paris' }).format(d);


  it('APPROVAL-RUN-01 the seeded approvals count: plain bills queued; a bill ticked without an approval record is held until an approver uses Approve for payment, which records who, when and what, and notes it on the bill', async () => {
    const [ticked] = small();
    forget(ticked!);
    const first = await run();
    expect(status(ticked!)).to.deep.equal(['held', `APPROVAL_MISSING: Bill ${bill(ticked!).name}: held, not sent: it is ticked 'Approved for bank payment' but nobody approved it with 'Approve for payment', which records who approved what; an approver opens the bill and uses Action > Approve for payment, and the next run pays it.`]);
    for (const id of small().slice(1)) expect(bill(id).x_stet_status, `bill ${id}`).to.equal('queued');
    expect(first.invalid.filter((p) => p.status === 'held').map((p) => p.reasons[0]!.code)).to.deep.equal(['APPROVAL_MISSING']);

    await approveAs(server, 'approver', [ticked!]);
    const [record] = approvalsOf(ticked!);
    expect(record).to.deep.include({ x_move_id: ticked, x_bank_account_id: bill(ticked!).partner_bank_id, x_amount: amount(ticked!), x_currency: 'EUR', x_move_state: 'posted', create_uid: server.user('approver').uid });
    const notes = server.store.read('mail.message', server.store.search('mail.message', [['model', '=', 'account.move'], ['res_id', '=', ticked]], 'id asc')).map((m) => String(m.body));
    expect(notes.some((n) => n.startsWith(`<p>Approved for payment by Alice Martin: ${amount(ticked!).toFixed(2)} EUR to `))).to.equal(true);
    await run();
    expect(bill(ticked!).x_stet_status).to.equal('queued');
  });

  it('APPROVAL-RUN-03 someone outside the approvers\' group: the action is refused to the clerk, and a record the clerk creates over RPC does not count', async () => {
    const [id] = small();
    forget(id!);
    const clerk = await clientAs(server, 'clerk');
    open.push(clerk);
    let refused: unknown;
    await clerk.call('ir.actions.server', 'run', [[actionId(server, 'Approve for payment')]], { context: { active_model: 'account.move', active_ids: [id] } }).catch((e: unknown) => (refused = e));
    expect((refused as Error).message).to.contain("You don't have enough access rights to run this action.");
    const b = bill(id!);
    const account = server.store.read('res.partner.bank', [b.partner_bank_id as number])[0]!;
    // create_uid is Odoo's: a value sent for it is dropped
    await clerk.call('x_stet_approval', 'create', [{ x_move_id: id, x_partner_id: server.store.value('account.move', id!, 'commercial_partner_id'), x_bank_account_id: account.id, x_iban: account.acc_number, x_holder: account.acc_holder_name, x_amount: amount(id!), x_currency: 'EUR', x_move_state: 'posted', create_uid: server.user('approver').uid }]);
    expect(approvalsOf(id!)[0]!.create_uid).to.equal(server.clerk.uid);
    await run();
    expect(status(id!)).to.deep.equal(['held', `APPROVER_NOT_ALLOWED: Bill ${b.name}: held, not sent: approved by Camille Bérot, who is not among the people who may approve payments (Odoo group account.group_account_manager); someone of that group approves it with Action > Approve for payment.`]);
    // nor may the clerk change or delete an approval: evidence
    const write = await clerk.call('x_stet_approval', 'write', [[approvalsOf(id!)[0]!.id], { x_amount: 0.01 }]).then(() => null, (e: unknown) => e);
    expect((write as Error).message).to.contain("You are not allowed to modify 'Payment approval (stetpay)' (x_stet_approval) records.");
  });

  it('APPROVAL-RUN-04 approved by the bill\'s author: held with four eyes on, queued with four eyes off', async () => {
    const [id] = small();
    server.store.setLogAccess('account.move', id!, { createdBy: server.user('approver').uid });
    await run();
    expect(status(id!)).to.deep.equal(['held', `APPROVED_BY_AUTHOR: Bill ${bill(id!).name}: held, not sent: approved by Alice Martin, who created the bill; four eyes: another approver approves it with Action > Approve for payment.`]);
    await run({ fourEyes: false });
    expect(bill(id!).x_stet_status).to.equal('queued');
  });

  it('APPROVAL-RUN-05 on 17, approved by the person who set the bill\'s recipient account (Odoo\'s chatter says who): held with four eyes; another approver\'s approval lets it go', async () => {
    const [id] = small();
    const current = bill(id!).partner_bank_id as number;
    const holder = server.store.value('res.partner.bank', current, 'partner_id');
    const other = server.store.insert('res.partner.bank', { acc_number: 'FR7630001007941234567890185', partner_id: holder, active: true, allow_out_payment: true });
    server.store.setLogAccess('res.partner.bank', other, { createdBy: server.admin.uid, createdAt: '2026-01-01 08:00:00', changedBy: server.admin.uid, changedAt: '2026-01-01 08:00:00' });
    const alice = await clientAs(server, 'approver');
    open.push(alice);
    await alice.call('account.move', 'write', [[id], { partner_bank_id: other }]);
    await approveAs(server, 'approver', [id!]);
    await run();
    expect(status(id!)).to.deep.equal(['held', `APPROVED_BY_ACCOUNT_CHANGER: Bill ${String(bill(id!).name)}: held, not sent: approved by Alice Martin, who created, changed or set on the bill its recipient bank account FR76 …0185; four eyes: another approver approves it with Action > Approve for payment.`]);
    await approveAs(server, 'approver2', [id!]);
    await run();
    expect(bill(id!).x_stet_status).to.equal('queued');
  });

  it('APPROVAL-RUN-06 one approver above the threshold is held; the second approver\'s approval lets the next run send it', async () => {
    const [id] = big();
    forget(id!, 'approver2');
    await run();
    const cents = Math.round(amount(id!) * 100);
    const shown = `${Math.floor(cents / 100).toLocaleString('en-US')}.${String(cents % 100).padStart(2, '0')} EUR`;
    expect(status(id!)).to.deep.equal(['held', `SECOND_APPROVAL_MISSING: Bill ${bill(id!).name}: held, not sent: ${shown} is above 10,000.00 EUR, so two different people must approve it; approved so far by Alice Martin only: a second approver approves it with Action > Approve for payment.`]);
    await approveAs(server, 'approver2', [id!]);
    await run();
    expect(bill(id!).x_stet_status).to.equal('queued');
  });

  it('APPROVAL-RUN-02 the amount changed after approval, and the account switched after approval: held, saying what was approved and what it is now', async () => {
    const [a, b] = small();
    const approvedCents = Math.round(amount(a!) * 100);
    server.store.update('account.move', a!, { amount_residual: amount(a!) + 300 });
    const other = info().billIds.map((x) => bill(x).partner_bank_id as number).find((acc) => acc && acc !== bill(b!).partner_bank_id && server.store.value('res.partner.bank', acc, 'partner_id') === server.store.value('res.partner.bank', bill(b!).partner_bank_id as number, 'partner_id'));
    const switched = other ?? server.store.insert('res.partner.bank', { acc_number: 'FR7630001007941234567890185', partner_id: server.store.value('res.partner.bank', bill(b!).partner_bank_id as number, 'partner_id'), active: true, allow_out_payment: true });
    server.store.setLogAccess('res.partner.bank', switched, { createdAt: '2026-01-01 08:00:00', changedAt: '2026-01-01 08:00:00' });
    server.store.update('account.move', b!, { partner_bank_id: switched });
    await run();
    const approvedOn = dayOf(new Date(`${String(approvalsOf(a!)[0]!.create_date).replace(' ', 'T')}Z`));
    const fmt = (c: number) => `${Math.floor(c / 100).toLocaleString('en-US')}.${String(c % 100).padStart(2, '0')} EUR`;
    const [st, reason] = status(a!);
    expect(st).to.equal('held');
    expect(reason).to.match(new RegExp(`^APPROVAL_CHANGED: Bill ${String(bill(a!).name).replace(/\//g, '\\/')}: held, not sent: approved for ${fmt(approvedCents).replace('.', '\\.')} to [A-Z]{2}\\d\\d …\\d{4} by Alice Martin on ${approvedOn}; now ${fmt(approvedCents + 30_000).replace('.', '\\.')}: approve it again \\(Action > Approve for payment\\) if the new values are right\\.$`));
    expect(status(b!)[1]).to.match(/^APPROVAL_CHANGED: .*; now to [A-Z]{2}\d\d …\d{4} \(another bank account\): approve it again/);
  });

  it('APPROVAL-RUN-07 an account IBAN edited two days before the run holds its bills, naming who and when; the changer cannot confirm it; a clerk cannot lift it; an approver confirms it and the next run sends', async () => {
    const [id] = small();
    const accountId = bill(id!).partner_bank_id as number;
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    const admin = await adminClient(server);
    open.push(admin);
    // Odoo refuses a new number on a trusted account: untrust, change, trust again
    await admin.call('res.partner.bank', 'write', [[accountId], { allow_out_payment: false }]);
    await admin.call('res.partner.bank', 'write', [[accountId], { acc_number: 'FR7630001007941234567890185' }]);
    await admin.call('res.partner.bank', 'write', [[accountId], { allow_out_payment: true }]);
    server.store.setLogAccess('res.partner.bank', accountId, { changedAt: utc(twoDaysAgo) });
    const billsOfAccount = info().billIds.filter((x) => bill(x).partner_bank_id === accountId && !info().problems[x]);
    for (const x of billsOfAccount) forget(x);
    await approveAs(server, 'approver', billsOfAccount);
    await approveAs(server, 'approver2', billsOfAccount);
    await run();
    const held = (extra: string) => `ACCOUNT_RECENTLY_CHANGED: Bill ${bill(id!).name}: held, not sent: its recipient bank account FR76 …0185 was changed by Mitchell Admin on ${dayOf(twoDaysAgo)} (less than 7 days before this run); call the supplier on a number you already had, then an approver other than Mitchell Admin${extra} opens the bank account and uses Action > Confirm bank account; the next run pays it.`;
    expect(status(id!)).to.deep.equal(['held', held('')]);
    const byChanger = await confirmAccountAs(server, 'admin', [accountId]).then(() => null, (e: unknown) => e);
    expect((byChanger as Error).message).to.contain('You created or last changed this bank account: another approver must confirm it.');
    // the action is the approvers' only; a record a clerk creates over RPC does not lift the hold
    const byClerk = await confirmAccountAs(server, 'clerk', [accountId]).then(() => null, (e: unknown) => e);
    expect((byClerk as Error).message).to.contain("You don't have enough access rights to run this action.");
    const clerk = await clientAs(server, 'clerk');
    open.push(clerk);
    await clerk.call('x_stet_account_check', 'create', [{ x_bank_account_id: accountId, x_iban: 'FR7630001007941234567890185', x_holder: server.store.value('res.partner.bank', accountId, 'acc_holder_name') || false }]);
    await run();
    expect(status(id!)).to.deep.equal(['held', held(" (the confirmation by Camille Bérot does not count: only the approvers' group account.group_account_manager may confirm)")]);
    await confirmAccountAs(server, 'approver', [accountId]);
    expect(server.store.read('x_stet_account_check', server.store.search('x_stet_account_check', [['x_bank_account_id', '=', accountId]], 'id asc'))[1]).to.deep.include({ x_iban: 'FR7630001007941234567890185', create_uid: server.user('approver').uid });
    await run();
    for (const x of billsOfAccount) expect(bill(x).x_stet_status, `bill ${x}`).to.equal('queued');
  });

  it('APPROVAL-RUN-08 on 17, four eyes and the hold use every tracked change of the account: Alice changes the IBAN, Bruno then ticks it trusted (last editor); Alice may neither approve it nor confirm it', async () => {
    const [id] = small();
    const accountId = bill(id!).partner_bank_id as number;
    for (const login of ['approver', 'approver2']) server.store.users.find((u) => u.login === login)!.groups.push('base.group_partner_manager', 'account.group_validate_bank_account');
    const alice = await clientAs(server, 'approver');
    const bruno = await clientAs(server, 'approver2');
    open.push(alice, bruno);
    await alice.call('res.partner.bank', 'write', [[accountId], { allow_out_payment: false }]);
    await alice.call('res.partner.bank', 'write', [[accountId], { acc_number: 'FR7630001007941234567890185' }]);
    await bruno.call('res.partner.bank', 'write', [[accountId], { allow_out_payment: true }]);
    expect(server.store.value('res.partner.bank', accountId, 'write_uid')).to.equal(server.user('approver2').uid);
    forget(id!);
    await approveAs(server, 'approver', [id!]);
    await run();
    expect(status(id!)).to.deep.equal(['held', `APPROVED_BY_ACCOUNT_CHANGER: Bill ${String(bill(id!).name)}: held, not sent: approved by Alice Martin, who created, changed or set on the bill its recipient bank account FR76 …0185; four eyes: another approver approves it with Action > Approve for payment.`]);
    // Alice is not the last editor, so the action lets her confirm; the run does not count it
    await confirmAccountAs(server, 'approver', [accountId]);
    forget(id!);
    await approveAs(server, 'admin', [id!]);
    await run();
    const [state, reason] = status(id!);
    expect(state).to.equal('held');
    expect(reason).to.match(/^ACCOUNT_RECENTLY_CHANGED: .* was changed by Alice Martin on .*then an approver other than .*Bruno Lefèvre and Alice Martin \(the confirmation by Alice Martin does not count: they changed the account\) opens the bank account/);
  });

  it('APPROVAL-AMOUNT an approval of 25,000,000.01 EUR (beyond a 32-bit count of cents, 21,474,836.47) is recorded and read exactly in cents', async () => {
    const [id] = small();
    server.store.update('account.move', id!, { amount_residual: 25_000_000.01 });
    forget(id!);
    await approveAs(server, 'approver', [id!]);
    expect(approvalsOf(id!)[0]).to.deep.include({ x_amount: 25_000_000.01 });
    const [read] = await readApprovals(odoo, [id!]);
    expect(read!.amountCents).to.equal(2_500_000_001);
  });

  it("APPROVAL-FILTER 'To approve' lists bills not ticked and bills held for a reason an approver resolves (APPROVAL_MISSING here), not the ones waiting for the run", async () => {
    const [ticked, plainOne] = small();
    forget(ticked!);
    await run();
    expect(bill(ticked!).x_stet_status).to.equal('held');
    const filter = BANK_PAYMENT_FILTERS.find((f) => f.name === 'To approve')!;
    const found = await odoo.call<number[]>('account.move', 'search', [ruleDomain(filter.domain, 0)]);
    expect(found).to.include(ticked);
    expect(found).to.not.include(plainOne);
  });

  it('APPROVAL-ACTION the dev server runs no Python: only the code stetpay installs (and records.write) runs; any other code faults, nothing done', async () => {
    const admin = await adminClient(server);
    open.push(admin);
    const [modelId] = server.store.search('ir.model', [['model', '=', 'account.move']]);
    const edited = await admin.call<number>('ir.actions.server', 'create', [{ name: 'Approve for payment (edited)', model_id: modelId, state: 'code', code: "for move in records:\n    move.unlink()\n" }]);
    const [id] = small();
    const err = await admin.call('ir.actions.server', 'run', [[edited]], { context: { active_model: 'account.move', active_ids: [id] } }).then(() => null, (e: unknown) => e);
    expect((err as Error).message).to.contain('ValueError: The dev server runs only the server actions stetpay installs');
    expect(server.store.exists('account.move', id!)).to.equal(true);
  });

  it('APPROVAL-RULE the dev server applies record rules on create as Odoo does: a record outside a create rule\'s domain is refused and not kept', async () => {
    const admin = await adminClient(server);
    open.push(admin);
    const [modelId] = server.store.search('ir.model', [['model', '=', 'x_stet_account_check']]);
    await admin.call('ir.rule', 'create', [{ name: 'only FR accounts', model_id: modelId, domain_force: "[('x_iban', '=like', 'FR%')]", perm_read: false, perm_write: false, perm_create: true, perm_unlink: false }]);
    const clerk = await clientAs(server, 'clerk');
    open.push(clerk);
    const before = server.store.allIds('x_stet_account_check').length;
    const err = await clerk.call('x_stet_account_check', 'create', [{ x_iban: 'DE89370400440532013000' }]).then(() => null, (e: unknown) => e);
    expect((err as Error).message).to.contain("Sorry, Camille Bérot (id=3) doesn't have 'create' access to:\n- Bank account confirmation (stetpay) (x_stet_account_check)\n\nBlame the following rules:\n- only FR accounts");
    expect(server.store.allIds('x_stet_account_check').length).to.equal(before);
    await clerk.call('x_stet_account_check', 'create', [{ x_iban: 'FR7630001007941234567890185' }]);
    expect(server.store.allIds('x_stet_account_check').length).to.equal(before + 1);
  });
});

for (const version of [16, 18] as const) {
  describe(`approvals in the run on Odoo ${version} (dev server, Redis)`, function () {
    this.timeout(30_000);
    const stack = clerkStack({ invoices: 20, seed: 7 }, version);

    it(`APPROVAL-ODOO-${version} install, Approve for payment run by an approver, the run as the clerk: a ticked bill without approval held, then paid once approved; the approval listed on the bill`, async () => {
      const { server } = stack;
      const id = server.seedInfo!.billIds.find((b) => !server.seedInfo!.problems[b] && Number(server.store.value('account.move', b, 'amount_residual')) <= 5000)!;
      for (const a of server.store.search('x_stet_approval', [['x_move_id', '=', id]])) server.store.remove('x_stet_approval', a);
      const config = clerkRunConfig(server, stack.redis.url, stack.certs);
      const queues = await StetpayQueues.open({ connection: stack.redis.url, prefix: config.redis.prefix });
      stack.open.push(queues);
      await runPayments({ odoo: stack.odoo, config, profile, queues, now: new Date() });
      expect(String(server.store.value('account.move', id, 'x_stet_status_reason'))).to.match(/^APPROVAL_MISSING: /);
      await approveAs(server, 'approver', [id]);
      const [bill] = await stack.odoo.call<{ x_stet_approval_ids: number[] }[]>('account.move', 'read', [[id]], { fields: ['x_stet_approval_ids'] });
      const [approval] = await stack.odoo.call<{ create_uid: [number, string] }[]>('x_stet_approval', 'read', [bill!.x_stet_approval_ids], { fields: ['create_uid'] });
      expect(approval!.create_uid).to.deep.equal([server.user('approver').uid, 'Alice Martin']);
      await runPayments({ odoo: stack.odoo, config, profile, queues, now: new Date() });
      expect(server.store.value('account.move', id, 'x_stet_status')).to.equal('queued');
    });
  });
}
