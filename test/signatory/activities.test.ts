/**
 * Odoo tells the right person (issue 13, part 3): Odoo's own to-dos
 * (mail.activity, To-Do, e-mailed to the assignee) created by stetpay's daily
 * user (Billing, no Settings) on the Odoo dev server over real XML-RPC, with
 * real Redis: one summary per signatory per morning with their own link, a
 * to-do per payment for the clerks when it is rejected, expired or needs
 * review, each told once, in batches.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { ActivitySenderError, findPeople, writeBillUpdates, type OdooClient } from '../../connector/odoo/index.js';
import { bulkPaymentId, paymentIds } from '../../connector/rules/index.js';
import type { TrackedBill } from '../../connector/model/index.js';
import { activityNotices, clerkNote, SUMMARY_MARKER } from '../../plugin/activities/index.js';
import type { ActivitiesConfig } from '../../plugin/config/index.js';
import { readWaitingPayments, verifySignatoryLink } from '../../plugin/signatory/index.js';
import { PaymentLedger } from '../../worker/ledger/payment-ledger.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { adminClient, clerkClient, devOdoo } from '../odoo/helpers.js';
import { redisClientPerSuite } from '../support/redis-per-suite.js';

const SECRET = 'activities-secret-0123456789abcdef0123';
const PUBLIC = 'https://stetpay.example.com';
/** 2026-03-03 in Paris. */
const at = (hhmm: string, day = '2026-03-03') => new Date(`${day}T${hhmm}:00+01:00`);

describe('Odoo tells the right person: to-dos for the signatories and the clerks (Odoo dev server 17, real Redis)', function () {
  this.timeout(20_000);
  let odoo: RunningOdooDevServer;
  let admin: OdooClient;
  let clerk: OdooClient;
  let redis: Redis;
  let prefix: string;
  let bills: number[];

  redisClientPerSuite((r) => ({ client: redis } = r));
  beforeEach(async () => {
    odoo = await devOdoo({ version: 17 });
    admin = await adminClient(odoo, { install: true });
    clerk = await clerkClient(odoo);
    prefix = `{t-${randomUUID()}}`;
    bills = odoo.seedInfo!.billIds.slice(0, 6);
  });
  afterEach(async () => {
    admin.close();
    clerk.close();
    await odoo.close();
  });

  /** Bills `submitted` as the workers leave them (ids, consent link, window end, what was reserved). */
  async function submit(ids: number[], date = '2026-03-05'): Promise<void> {
    await writeBillUpdates(
      admin,
      ids.map((id, i) => {
        const p = paymentIds(odoo.database, id, 1);
        return {
          billId: id,
          values: {
            x_stet_status: 'submitted', x_stet_payment_information_id: p.paymentInformationId, x_stet_end_to_end_id: p.endToEndId, x_stet_attempt: 1,
            x_stet_resource_id: `RES-${id}`, x_stet_consent_url: `https://bank.example/consent/RES-${id}`, x_stet_consent_deadline: '2026-03-06 09:00:00',
            x_stet_reserved_amount: 100 + i, x_stet_reserved_currency: 'EUR', x_stet_requested_execution_date: date,
          },
        };
      }),
    );
  }
  const activities = async () =>
    admin.call<{ id: number; res_id: number; res_model: string; user_id: [number, string]; summary: string; note: string; date_deadline: string; activity_type_id: [number, string] }[]>(
      'mail.activity', 'search_read', [[]], { fields: ['res_id', 'res_model', 'user_id', 'summary', 'note', 'date_deadline', 'activity_type_id'], order: 'id asc' },
    );
  function notices(client: OdooClient, a: Partial<ActivitiesConfig>, now: () => Date) {
    const cfg: ActivitiesConfig = { signatories: {}, clerks: {}, summaryTime: '07:30', linkHours: 12, ...a };
    const port = { odoo: client, redis, prefix, ledger: new PaymentLedger(redis, { prefix }), consentWindowMs: 15 * 60_000, now };
    return activityNotices({ odoo: client, redis, prefix, activities: cfg, timeZone: 'Europe/Paris', callback: { publicUrl: PUBLIC, secret: SECRET }, consentWindowMs: 15 * 60_000, waiting: () => readWaitingPayments(port), now });
  }

  it('ACT-01 one summary per signatory per morning, not one per payment: none before the summary time, one after (in her language, with her own link), none again that morning; the next morning\'s replaces it', async () => {
    await submit(bills.slice(0, 3));
    let now = at('07:00');
    const n = notices(clerk, { signatories: { users: ['signatory'] } }, () => now);
    expect(await n.run()).to.deep.equal({ clerkTodos: 0, summaries: 0 });
    expect(await activities()).to.deep.equal([]);
    odoo.resetCalls();
    now = at('07:35');
    expect(await n.run()).to.deep.equal({ clerkTodos: 0, summaries: 1 });
    expect(odoo.calls()['mail.activity.create'], 'one create call').to.equal(1);
    const [a, ...more] = await activities();
    expect(more).to.deep.equal([]);
    expect(a).to.include({ res_model: 'account.move', res_id: bills[0], summary: `Approuver 3 paiements à la banque ${SUMMARY_MARKER}`, date_deadline: '2026-03-03' });
    expect(a!.user_id[0]).to.equal(odoo.signatory.uid);
    expect(a!.activity_type_id[1]).to.equal('To-Do');
    // Her own link to the page: it names her, and opens until 19:35.
    const href = /href="([^"]+)"/.exec(a!.note)![1]!.replace(/&amp;/g, '&');
    expect(href.startsWith(`${PUBLIC}/stet/signatory?t=`)).to.equal(true);
    const link = verifySignatoryLink(SECRET, new URL(href).searchParams.get('t')!, now);
    expect(link.userId).to.equal(odoo.signatory.uid);
    expect(link.exp).to.equal(Math.floor(at('19:35').getTime() / 1000));
    expect(a!.note).to.contain('3 paiements attendent votre approbation à la banque, 303,00\u00a0€ au total ; le premier à exécuter le jeudi 5 mars 2026.');
    expect(a!.note).to.contain('jusqu’à 19:35');
    // Odoo e-mails the assignee (message_notify to her partner).
    const notes = await admin.call<{ subject: string }[]>('mail.message', 'search_read', [[['message_type', '=', 'user_notification']]], { fields: ['subject'] });
    expect(notes.map((m) => m.subject)).to.deep.equal([`"${(await admin.call<{ name: string }[]>('account.move', 'read', [[bills[0]]], { fields: ['name'] }))[0]!.name}: Approuver 3 paiements à la banque ${SUMMARY_MARKER}" assigned to you`]);
    // Later that morning, and more payments: nothing new.
    await submit(bills.slice(3, 4));
    now = at('09:00');
    expect(await n.run()).to.deep.equal({ clerkTodos: 0, summaries: 0 });
    expect(await activities()).to.have.length(1);
    // The next morning: a new summary, yesterday's (unanswered, its link spent) removed.
    now = at('07:31', '2026-03-04');
    expect(await n.run()).to.deep.equal({ clerkTodos: 0, summaries: 1 });
    const next = await activities();
    expect(next).to.have.length(1);
    expect(next[0]!.id).to.not.equal(a!.id);
    expect(next[0]!.summary).to.equal(`Approuver 4 paiements à la banque ${SUMMARY_MARKER}`);
  });

  it('ACT-02 no summary on a morning when nothing waits; a summary for an English signatory is in English', async () => {
    let now = at('08:00');
    const n = notices(clerk, { signatories: { users: ['admin'] } }, () => now);
    expect((await n.run()).summaries).to.equal(0);
    await submit(bills.slice(0, 1));
    now = at('10:00');
    expect((await n.run()).summaries, 'told the day payments first wait, later in the morning').to.equal(1);
    const [a] = await activities();
    expect(a!.summary).to.equal(`Approve 1 payment at the bank ${SUMMARY_MARKER}`);
    expect(a!.note).to.contain('1 payment waits for your approval at the bank, €100.00 in all; the first to be executed on Thursday 5 March 2026.');
  });

  it('ACT-03 the clerk gets one to-do per payment rejected, expired or needs review, with the reason and what to do, created in one call; told once, told again when its status changes', async () => {
    const [r1, r2, nr, ex, ok] = bills as [number, number, number, number, number];
    const e2e = (id: number) => paymentIds(odoo.database, id, 1).endToEndId;
    await writeBillUpdates(admin, [
      { billId: r1, values: { x_stet_status: 'rejected', x_stet_attempt: 1, x_stet_end_to_end_id: e2e(r1), x_stet_status_reason: 'The bank did not execute payment X because the signatory refused it at the bank (bank status RJCT, reason CUST).' } },
      { billId: r2, values: { x_stet_status: 'rejected', x_stet_attempt: 1, x_stet_end_to_end_id: e2e(r2), x_stet_status_reason: 'The bank did not execute payment Y because nobody approved it at the bank in time (bank status RJCT, reason NOAS).' } },
      { billId: nr, values: { x_stet_status: 'needs_review', x_stet_attempt: 1, x_stet_end_to_end_id: e2e(nr), x_stet_status_reason: 'The bank already has a payment with these ids.' } },
      { billId: ex, values: { x_stet_status: 'submitted', x_stet_attempt: 1, x_stet_end_to_end_id: e2e(ex) } },
      { billId: ok, values: { x_stet_status: 'executed', x_stet_attempt: 1, x_stet_end_to_end_id: e2e(ok) } },
    ]);
    const now = new Date();
    const n = notices(clerk, { clerks: { users: ['clerk'] } }, () => now);
    odoo.resetCalls();
    expect(await n.run()).to.deep.equal({ clerkTodos: 3, summaries: 0 });
    expect(odoo.calls()['mail.activity.create']).to.equal(1);
    const todos = await activities();
    expect(todos.map((t) => [t.res_id, t.user_id[0]])).to.deep.equal([[r1, odoo.clerk.uid], [r2, odoo.clerk.uid], [nr, odoo.clerk.uid]]);
    const name = async (id: number) => (await admin.call<{ name: string }[]>('account.move', 'read', [[id]], { fields: ['name'] }))[0]!.name;
    expect(todos[1]!.summary).to.equal(`Payment rejected: ${await name(r2)} ${SUMMARY_MARKER}`);
    expect(todos[1]!.note).to.contain('because nobody approved it at the bank in time (bank status RJCT, reason NOAS).');
    expect(todos[1]!.note).to.contain(`What to do:</strong> read the reason; fix the bill if it says so, then run stetpay retry ${await name(r2)}: the next run sends a new payment.`);
    expect(todos[2]!.summary).to.equal(`Payment needs review: ${await name(nr)} ${SUMMARY_MARKER}`);
    expect(todos[2]!.note).to.contain(`do not send it again yet: look for payment ${e2e(nr)} in online banking.`);
    // Told once.
    expect(await n.run()).to.deep.equal({ clerkTodos: 0, summaries: 0 });
    // The waiting one expires at the bank: told.
    await writeBillUpdates(admin, [{ billId: ex, values: { x_stet_status: 'expired', x_stet_status_reason: 'The bank no longer keeps payment Z.' } }]);
    expect((await n.run()).clerkTodos).to.equal(1);
    expect((await activities()).at(-1)!.summary).to.equal(`Payment expired at the bank: ${await name(ex)} ${SUMMARY_MARKER}`);
  });

  it('ACT-04 who is told is configurable: logins, or every user of a group (its xml id)', async () => {
    expect((await findPeople(clerk, { users: ['signatory', 'clerk', 'nobody'] })).map((p) => p.id)).to.deep.equal([odoo.clerk.uid, odoo.signatory.uid].sort((a, b) => a - b));
    const billing = await findPeople(clerk, { group: 'account.group_account_invoice' });
    expect(billing.map((p) => p.id)).to.include.members([odoo.admin.uid, odoo.clerk.uid, odoo.signatory.uid]);
    expect(billing.find((p) => p.id === odoo.signatory.uid)).to.deep.equal({ id: odoo.signatory.uid, name: 'Claire Martin', lang: 'fr_FR' });
    const managers = await findPeople(clerk, { group: 'account.group_account_manager' });
    expect(managers.map((p) => p.id)).to.deep.equal([odoo.admin.uid, odoo.user('approver').uid, odoo.user('approver2').uid]);
  });

  it('ACT-05 on Odoo 17 a stetpay user without an e-mail address cannot notify: a clear reason naming the user and the fix; nothing is created, and the next pass tries again', async () => {
    await submit(bills.slice(0, 1));
    const [partner] = await admin.call<{ partner_id: [number, string] }[]>('res.users', 'read', [[odoo.clerk.uid]], { fields: ['partner_id'] });
    await admin.call('res.partner', 'write', [[partner!.partner_id[0]], { email: false }]);
    const n = notices(clerk, { signatories: { users: ['signatory'] } }, () => at('08:00'));
    let err: unknown;
    await n.run().catch((e: unknown) => (err = e));
    expect(err).to.be.instanceOf(ActivitySenderError);
    expect((err as Error).message).to.equal(
      "Odoo cannot e-mail the to-dos: stetpay's Odoo user (clerk) has no e-mail address, which Odoo 17 needs to notify an assignee. Set one on that user (Settings > Users > clerk > Email); until then no to-do is created, and stetpay tries again at the next sync.",
    );
    expect(await activities()).to.deep.equal([]);
    await admin.call('res.partner', 'write', [[partner!.partner_id[0]], { email: 'camille.berot@example.test' }]);
    expect((await n.run()).summaries).to.equal(1);
  });

  it('ACT-06 the clerk\'s to-do on a transfer of a request of several names the request to look for, and says resolve records all its bills', () => {
    const pid = bulkPaymentId(odoo.database, 7, 1);
    const e2e = paymentIds(odoo.database, 8, 1).endToEndId;
    const bill = { billId: 8, name: 'BILL/2026/03/0008', status: 'needs_review', endToEndId: e2e, paymentInformationId: pid, reason: 'stetpay got no usable answer from the bank.' } as TrackedBill;
    expect(clerkNote(bill, 'needs_review', 'en')).to.contain(
      `do not send it again yet: look for payment request ${pid} (this bill&#39;s transfer ${e2e}; the bank has or lacks the request as a whole, and resolve records all its bills at once) in online banking. If the bank has it, follow it there; if not, run stetpay resolve BILL/2026/03/0008 --not-at-bank.`,
    );
    const single = { ...bill, paymentInformationId: paymentIds(odoo.database, 8, 1).paymentInformationId };
    expect(clerkNote(single, 'needs_review', 'en')).to.contain(`look for payment ${e2e} in online banking.`);
  });
});
