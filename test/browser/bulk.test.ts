/// <reference lib="dom" />
/**
 * One consent for many (the generic `stet-1.6` profile), in a real browser on
 * the whole product: the night's payments grouped by execution date and
 * paying account into one request; the signatory's page shows it as one
 * payment of N transfers, the bank's consent page lists them, one approval
 * pays every bill; a transfer the bank rejects on its own (PART) leaves that
 * bill rejected and the others executed; a second run, a second sync and a
 * redelivered job send nothing twice.
 */
import { expect } from 'chai';
import { readReservedBills } from '../../connector/odoo/index.js';
import { requestParts, requestText } from '../../connector/rules/index.js';
import type { PaymentRequestResource } from '../../connector/model/index.js';
import { runPayments } from '../../plugin/run/run-payments.js';
import { waitForSettled } from '../../plugin/run/wait-for-settled.js';
import { signatoryLink } from '../../plugin/signatory/index.js';
import { enqueuePayments } from '../../worker/index.js';
import { expectExecutedButRejected, expectPartlyRejected } from './bulk-outcome.js';
import { chromiumMissing } from './chromium.js';
import { stackAndBrowserPerSuite, type Stack } from './stack.js';

const missing = chromiumMissing();
if (missing) console.log(`  (bulk browser test skipped: ${missing})`);
const DAY = 86_400_000;

(missing ? describe.skip : describe)('browser: one consent for many transfers (stet-1.6), PART bill by bill, nothing sent twice (headless Chromium)', function () {
  this.timeout(30_000);
  let stack: Stack;
  const browser = stackAndBrowserPerSuite({ invoices: 10, seed: 5, profile: 'stet-1.6', bank: { submissionMode: 'nightly' }, config: { payments: { executionPolicy: 'asap' } } }, (s) => (stack = s));
  let queued: number[];
  let rejectedIban: string;
  const posts = () => stack.bank.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/payment-requests'));


  it('BULK-RUN the run groups the payable bills of one execution date and paying account into one request: one POST of N transfers, each bill recording its part and the order', async () => {
    const run = await runPayments({ odoo: stack.runtime.odoo, config: stack.config, profile: stack.profile, queues: stack.runtime.queues });
    queued = run.queuedBillIds;
    expect(queued.length).to.be.at.least(4);
    const settled = await waitForSettled(stack.runtime.odoo, queued, { timeoutMs: 10_000, pollMs: 100 });
    expect(settled.pending).to.deep.equal([]);
    expect(posts(), 'one request for all').to.have.length(1);
    const [payment] = stack.bank.payments();
    expect(payment!.transactions).to.have.length(queued.length);
    const bills = await readReservedBills(stack.runtime.odoo, queued, { withRequest: true });
    const pid = payment!.paymentInformationId;
    expect(pid).to.match(/^SPB-[0-9A-Z]{6}-\d+-1$/);
    const order = payment!.transactions.map((t) => t.endToEndId);
    for (const b of bills) {
      expect(b).to.include({ status: 'submitted', paymentInformationId: pid });
      expect(b.members).to.deep.equal(order);
      // Its own transfer, under the request's header: what the bank got, bill by bill.
      const part = JSON.parse(b.request!) as PaymentRequestResource;
      expect(part.creditTransferTransaction.map((t) => t.paymentId.endToEndId)).to.deep.equal([b.endToEndId]);
      expect(part.numberOfTransactions).to.equal(queued.length);
    }
    const sent = stack.bank.payments()[0]!.resource as unknown as PaymentRequestResource;
    const { successfulReportUrl: _s, unsuccessfulReportUrl: _u, ...sd } = sent.supplementaryData;
    const stripped = { ...sent, supplementaryData: sd };
    expect(requestParts(stripped).map(requestText)).to.deep.equal(order.map((e) => bills.find((b) => b.endToEndId === e)!.request));
    rejectedIban = payment!.transactions[1]!.creditorIban!;
  });

  it('BULK-CONSENT the page shows the request as one payment of N transfers; the bank\'s page lists them; one approval for all; PART: the transfer the bank refuses leaves its bill rejected, the others go on', async () => {
    // The bank refuses the transfers to one account once it accepts the request for execution.
    stack.bank.setRejectedCreditors([rejectedIban]);
    const page = await (await browser.context({ locale: 'en-GB' })).newPage();
    await page.goto(signatoryLink(stack.config.callback.publicUrl, stack.config.callback.secret, stack.odoo.signatory.uid, new Date(Date.now() + 3600_000)));
    expect(await page.getByTestId('payment').count()).to.equal(1);
    expect(await page.getByTestId('supplier').textContent()).to.equal(`${queued.length} transfers, one approval for all`);
    expect(await page.getByTestId('transfers').locator('li').count()).to.equal(queued.length);
    await Promise.all([page.waitForURL(/\/consent\//), page.getByTestId('approve').click()]);
    expect(await page.locator('h1').textContent()).to.equal(`Approve ${queued.length} payments`);
    expect(await page.locator('section.tx').count()).to.equal(queued.length);
    await Promise.all([page.waitForURL(/\/stet\/signatory\/done\?/), page.getByTestId('approve').click()]);
    expect(await page.getByTestId('result').textContent()).to.equal('Payment approved');
    expect(await page.getByTestId('progress').textContent()).to.equal('1 of 1');
    // The callback's check confirmed the request (STET 1.6): the bank accepted it for execution, but one account's transfers.
    await expectPartlyRejected(stack, queued, rejectedIban);
    expect(posts()).to.have.length(1);
  });

  it('BULK-EXECUTED past the execution date the others are executed and paid, each registered once with its own end-to-end id; the rejected one is not', async () => {
    stack.bank.advanceClock(5 * DAY);
    await stack.runtime.syncNow();
    const bills = await expectExecutedButRejected(stack, queued, rejectedIban);
    expect(await stack.runtime.queues.ledger.get(bills[0]!.paymentInformationId!)).to.include({ state: 'final', status: 'executed' });
  });

  it('BULK-NEVER-TWICE a second run, a second sync and the job delivered again send nothing twice', async () => {
    const again = await runPayments({ odoo: stack.runtime.odoo, config: stack.config, profile: stack.profile, queues: stack.runtime.queues });
    expect(again.byStatus.queued ?? 0).to.equal(0);
    await stack.runtime.syncNow();
    const payments = await stack.runtime.odoo.call<number>('account.payment', 'search_count', [[]]);
    const [lead] = await readReservedBills(stack.runtime.odoo, [queued[0]!], { withRequest: true });
    // The request's job again, as BullMQ would redeliver it after a crash: the ledger says the bank has it.
    const job = (await stack.runtime.queues.submit.getJob(lead!.paymentInformationId!))!.data;
    await stack.runtime.queues.submit.remove(lead!.paymentInformationId!);
    await enqueuePayments(stack.runtime.queues.submit, [job]);
    await new Promise((r) => setTimeout(r, 500));
    expect(posts()).to.have.length(1);
    expect(await stack.runtime.odoo.call<number>('account.payment', 'search_count', [[]])).to.equal(payments);
  });
});
