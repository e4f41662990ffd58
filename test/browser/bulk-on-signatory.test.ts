/// <reference lib="dom" />
/**
 * One consent for many (`stet-1.6`) with `on-signatory` sending, in a real
 * browser on the whole product: the night's run reserves one request of N
 * transfers for the signatory and POSTs nothing; the signatory opens it on
 * the page (a double click and a second tab POST it once, all N transfers in
 * one request), approves it once at the bank, and each bill ends right: the
 * transfer the bank refuses (PART) rejected with its reason, the others
 * accepted then executed; a second run, a sync and a second open send nothing
 * twice.
 */
import { expect } from 'chai';
import { readReservedBills, readTrackedBills } from '../../connector/odoo/index.js';
import { renderRunSummary } from '../../plugin/run/render-summary.js';
import { runPayments } from '../../plugin/run/run-payments.js';
import { signatoryLink } from '../../plugin/signatory/index.js';
import { expectExecutedButRejected, expectPartlyRejected } from './bulk-outcome.js';
import { chromiumMissing, SuiteBrowser } from './chromium.js';
import { stackAndBrowserPerSuite, type Stack } from './stack.js';

const missing = chromiumMissing();
if (missing) console.log(`  (bulk on-signatory browser test skipped: ${missing})`);
const DAY = 86_400_000;

/** One suite's whole product (stet-1.6, on-signatory, asap) and browser, started before its tests and stopped after. */
function bulkOnSignatorySuite(): { stack: () => Stack; browser: SuiteBrowser; posts: () => ReturnType<Stack['bank']['requests']> } {
  let stack: Stack | undefined;
  const browser = stackAndBrowserPerSuite({ invoices: 10, seed: 5, profile: 'stet-1.6', bank: { submissionMode: 'on-signatory' }, config: { payments: { executionPolicy: 'asap' } } }, (s) => (stack = s));
  return { stack: () => stack!, browser, posts: () => stack!.bank.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/payment-requests')) };
}

(missing ? describe.skip : describe)('browser: one consent for many transfers sent when the signatory opens it (stet-1.6, on-signatory, headless Chromium)', function () {
  this.timeout(30_000);
  const suite = bulkOnSignatorySuite();
  const { browser, posts } = suite;
  let stack: Stack;
  let queued: number[];
  let pid: string;
  let rejectedIban: string;
  const link = () => signatoryLink(stack.config.callback.publicUrl, stack.config.callback.secret, stack.odoo.signatory.uid, new Date(Date.now() + 3600_000));
  before(() => void (stack = suite.stack()));

  it('BULK-ON-OPEN-RUN the night\'s run reserves one request of N transfers for the signatory and POSTs nothing; each bill records the request and waits for the signatory', async () => {
    const run = await runPayments({ odoo: stack.runtime.odoo, config: stack.config, profile: stack.profile, queues: stack.runtime.queues });
    queued = run.queuedBillIds;
    expect(queued.length).to.be.at.least(4);
    expect(run.forSignatory, 'one payment for the signatory: the request').to.equal(1);
    // The operator reads one payment for N bills, not N-1 bills gone.
    expect(renderRunSummary(run)).to.contain(`  for the signatory          1   (payments for the ${queued.length} queued bills, one approval each; each sent to the bank when the signatory opens it on the signatory's page)`);
    expect(await stack.runtime.queues.signatory.count(), 'one job: the whole request').to.equal(1);
    expect(await stack.runtime.queues.submit.count()).to.equal(0);
    await stack.runtime.syncNow();
    await new Promise((r) => setTimeout(r, 300));
    expect(posts()).to.deep.equal([]);
    const bills = await readReservedBills(stack.runtime.odoo, queued, { withRequest: true });
    pid = bills[0]!.paymentInformationId!;
    expect(pid).to.match(/^SPB-[0-9A-Z]{6}-\d+-1$/);
    for (const b of bills) {
      expect(b).to.include({ status: 'queued', paymentInformationId: pid });
      expect(b.members).to.have.length(queued.length);
    }
    for (const b of await readTrackedBills(stack.runtime.odoo, { billIds: queued })) {
      expect(b.reason).to.equal("Waiting for the signatory: sent to the bank when the signatory opens it on the signatory's page (the bank's approval window starts then).");
    }
  });

  it('BULK-ON-OPEN-CONSENT the page shows the request as one payment of N transfers; a double click and a second tab POST it once with all N; one approval at the bank; PART leaves the refused transfer\'s bill rejected and the others accepted', async () => {
    const ctx = await browser.context({ locale: 'en-GB' });
    const [tab1, tab2] = [await ctx.newPage(), await ctx.newPage()];
    await tab1.goto(link());
    await tab2.goto(`${stack.config.callback.publicUrl}/stet/signatory`);
    const payment = tab1.getByTestId('payment');
    expect(await payment.count()).to.equal(1);
    expect(await payment.getAttribute('data-payment-id')).to.equal(pid);
    expect(await payment.getByTestId('supplier').textContent()).to.equal(`${queued.length} transfers, one approval for all`);
    expect(await payment.getByTestId('transfers').locator('li').count()).to.equal(queued.length);
    expect(await payment.getByTestId('time-left').textContent()).to.equal('Sent to the bank when you open it; the bank then waits 24 h for your approval.');
    await Promise.all([
      tab1.waitForURL(/\/consent\//),
      tab2.waitForURL(/\/consent\//),
      payment.getByTestId('approve').dblclick(),
      tab2.locator(`[data-payment-id="${pid}"]`).getByTestId('approve').click(),
    ]);
    expect(posts(), 'one POST for the request').to.have.length(1);
    expect(new URL(tab1.url()).pathname).to.equal(new URL(tab2.url()).pathname);
    const atBank = stack.bank.payments();
    expect(atBank).to.have.length(1);
    expect(atBank[0]!.paymentInformationId).to.equal(pid);
    expect(atBank[0]!.transactions).to.have.length(queued.length);
    expect(await stack.runtime.queues.signatory.count(), 'the job left the signatory queue').to.equal(0);
    // The bank refuses the transfers to one account once it accepts the request for execution (PART).
    rejectedIban = atBank[0]!.transactions[1]!.creditorIban!;
    stack.bank.setRejectedCreditors([rejectedIban]);
    expect(await tab1.locator('h1').textContent()).to.equal(`Approve ${queued.length} payments`);
    expect(await tab1.locator('section.tx').count()).to.equal(queued.length);
    await Promise.all([tab1.waitForURL(/\/stet\/signatory\/done\?/), tab1.getByTestId('approve').click()]);
    expect(await tab1.getByTestId('result').textContent()).to.equal('Payment approved');
    expect(await tab1.getByTestId('progress').textContent()).to.equal('1 of 1');
    expect(await tab1.getByTestId('all-done').count()).to.equal(1);
    for (const b of await expectPartlyRejected(stack, queued, rejectedIban)) expect(b.paymentInformationId).to.equal(pid);
    // The second tab's consent page no longer waits; opening the request again sends nothing.
    await tab2.reload();
    expect(await tab2.locator('h1').textContent()).to.equal('Nothing to approve');
    expect(posts()).to.have.length(1);
  });

  it('BULK-ON-OPEN-EXECUTED past the execution date the accepted ones are executed and paid with their own end-to-end ids; a second run and sync send nothing twice', async () => {
    stack.bank.advanceClock(5 * DAY);
    await stack.runtime.syncNow();
    await expectExecutedButRejected(stack, queued, rejectedIban);
    const again = await runPayments({ odoo: stack.runtime.odoo, config: stack.config, profile: stack.profile, queues: stack.runtime.queues });
    expect(again.byStatus.queued ?? 0).to.equal(0);
    expect(await stack.runtime.queues.signatory.count()).to.equal(0);
    await stack.runtime.syncNow();
    expect(posts()).to.have.length(1);
  });
});

(missing ? describe.skip : describe)('browser: a request of several transfers whose bill changed before the signatory opens it (stet-1.6, on-signatory, headless Chromium)', function () {
  this.timeout(30_000);
  const suite = bulkOnSignatorySuite();
  const { browser, posts } = suite;
  let stack: Stack;
  before(() => void (stack = suite.stack()));

  it('BULK-ON-OPEN-CHANGED the request is not sent: the changed bill withdrawn, the others back among the approved bills naming it; the page says why; the next run reserves the others in a new request for the signatory', async () => {
    const run = await runPayments({ odoo: stack.runtime.odoo, config: stack.config, profile: stack.profile, queues: stack.runtime.queues });
    const queued = run.queuedBillIds;
    const [changed, ...others] = queued as [number, ...number[]];
    const before = await readReservedBills(stack.runtime.odoo, queued, { withRequest: true });
    const pid = before[0]!.paymentInformationId!;
    const changedName = before.find((b) => b.billId === changed)!.name;
    // The clerk unticks the approval of one bill after the night's run.
    stack.odoo.store.update('account.move', changed, { x_stet_approved: false });
    const page = await (await browser.context({ locale: 'en-GB' })).newPage();
    await page.goto(link(stack));
    const answer = page.waitForResponse((r) => r.url().endsWith('/stet/signatory/approve'));
    await page.getByTestId('approve').click();
    expect((await answer).status()).to.equal(409);
    expect(await page.getByTestId('message-title').textContent()).to.equal('Not sent to the bank');
    expect(await page.getByTestId('detail').textContent()).to.contain(`Bill ${changedName}: payment`).and.contain('its approval for bank payment was withdrawn');
    expect(posts(), 'nothing reached the bank').to.deep.equal([]);
    expect(await stack.runtime.queues.signatory.count()).to.equal(0);
    // The write-back records it in Odoo within moments.
    let bills = await readTrackedBills(stack.runtime.odoo, { billIds: queued });
    for (let i = 0; i < 100 && bills.some((b) => b.status === 'queued'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      bills = await readTrackedBills(stack.runtime.odoo, { billIds: queued });
    }
    expect(bills.find((b) => b.billId === changed)).to.include({ status: 'withdrawn' });
    for (const b of bills.filter((x) => x.billId !== changed)) {
      expect(b.status, b.name).to.equal(null);
      expect(b.closedAttempt, b.name).to.equal(1);
      expect(b.reason, b.name).to.contain(`transfers of payment ${pid}, and bill ${changedName} (`).and.contain('Nothing reached the bank and these ids are never sent');
    }
    // The next run: the others in a new request (new ids), for the signatory again; the withdrawn one waits for the clerk.
    const again = await runPayments({ odoo: stack.runtime.odoo, config: stack.config, profile: stack.profile, queues: stack.runtime.queues });
    expect(again.queuedBillIds).to.have.members(others);
    const next = await readReservedBills(stack.runtime.odoo, others, { withRequest: true });
    expect(new Set(next.map((b) => b.paymentInformationId)).size).to.equal(1);
    expect(next[0]!.paymentInformationId).to.match(/^SPB-[0-9A-Z]{6}-\d+-2$/);
    expect(next[0]!.paymentInformationId).to.not.equal(pid);
    expect(await stack.runtime.queues.signatory.count()).to.equal(1);
    await page.goto(`${stack.config.callback.publicUrl}/stet/signatory`);
    expect(await page.getByTestId('supplier').textContent()).to.equal(`${others.length} transfers, one approval for all`);
    expect(posts()).to.deep.equal([]);
  });
});

function link(stack: Stack): string {
  return signatoryLink(stack.config.callback.publicUrl, stack.config.callback.secret, stack.odoo.signatory.uid, new Date(Date.now() + 3600_000));
}
