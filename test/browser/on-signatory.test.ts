/// <reference lib="dom" />
/**
 * `on-signatory` in a real browser (headless Chromium): the night's run only
 * reserves; each payment is POSTed when the signatory opens it on the
 * signatory's page, and the browser goes straight to the bank's consent page
 * with a fresh consent window. A double click and two tabs POST it once (the
 * ledger's claim: the second waits for the first one's answer and goes to the
 * same consent page). A payment never POSTed can still go in a pain.001 file,
 * and then the page no longer sends it. The whole product on real parts.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { readTrackedBills, readWaitingBills } from '../../connector/odoo/index.js';
import { exportPain001 } from '../../plugin/export/index.js';
import { runPayments } from '../../plugin/run/run-payments.js';
import { signatoryLink } from '../../plugin/signatory/index.js';
import { chromiumMissing, screenshotDir } from './chromium.js';
import { stackAndBrowserPerSuite, type Stack } from './stack.js';

const missing = chromiumMissing();
if (missing) console.log(`  (on-signatory browser test skipped: ${missing})`);

(missing ? describe.skip : describe)('browser: on-signatory, each payment POSTed when the signatory opens it (headless Chromium)', function () {
  this.timeout(30_000);
  let stack: Stack;
  const browser = stackAndBrowserPerSuite({ invoices: 12, seed: 5, bank: { submissionMode: 'on-signatory' } }, (s) => (stack = s));
  let queued: number[];
  const link = () => signatoryLink(stack.config.callback.publicUrl, stack.config.callback.secret, stack.odoo.signatory.uid, new Date(Date.now() + 3600_000));
  const newContext = () => browser.context({ locale: 'en-GB', viewport: { width: 390, height: 844 } });
  const posts = (pid?: string) => stack.bank.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/payment-requests') && (!pid || r.paymentInformationId === pid));


  it('ON-OPEN-RUN the night\'s run reserves every payment for the signatory and POSTs none; Odoo says each waits for the signatory', async () => {
    const run = await runPayments({ odoo: stack.runtime.odoo, config: stack.config, profile: stack.profile, queues: stack.runtime.queues });
    queued = run.queuedBillIds;
    expect(queued.length).to.be.at.least(4);
    expect(run.forSignatory).to.equal(queued.length);
    expect(await stack.runtime.queues.signatory.count()).to.equal(queued.length);
    expect(await stack.runtime.queues.submit.count()).to.equal(0);
    // The workers and the sweeper leave them alone.
    await stack.runtime.syncNow();
    await new Promise((r) => setTimeout(r, 300));
    expect(posts()).to.deep.equal([]);
    for (const b of await readTrackedBills(stack.runtime.odoo, { billIds: queued })) {
      expect(b.status).to.equal('queued');
      expect(b.reason).to.equal("Waiting for the signatory: sent to the bank when the signatory opens it on the signatory's page (the bank's approval window starts then).");
    }
  });

  it('ON-OPEN-DOUBLE-CLICK a double click and a second tab POST the payment once; both land on the same consent page; its consent window starts then', async () => {
    const ctx = await newContext();
    const [tab1, tab2] = [await ctx.newPage(), await ctx.newPage()];
    await tab1.goto(link());
    await tab2.goto(`${stack.config.callback.publicUrl}/stet/signatory`);
    const first = tab1.getByTestId('payment').first();
    const pid = (await first.getAttribute('data-payment-id'))!;
    expect(await first.getByTestId('time-left').textContent()).to.equal('Sent to the bank when you open it; the bank then waits 15 min for your approval.');
    const before = Date.now();
    // A double click in one tab, and the same button in the other, at once.
    await Promise.all([
      tab1.waitForURL(/\/consent\//),
      tab2.waitForURL(/\/consent\//),
      first.getByTestId('approve').dblclick(),
      tab2.locator(`[data-payment-id="${pid}"]`).getByTestId('approve').click(),
    ]);
    expect(posts(pid), 'one POST for the payment').to.have.length(1);
    expect(new URL(tab1.url()).pathname).to.equal(new URL(tab2.url()).pathname);
    const atBank = stack.bank.payments().filter((p) => p.paymentInformationId === pid);
    expect(atBank).to.have.length(1);
    await screenshot(tab1, 'on-signatory-consent.png');
    // Odoo: submitted, its window ending 15 minutes after the POST.
    const bill = await poll(async () => (await readWaitingBills(stack.runtime.odoo, { paymentInformationIds: [pid], statuses: ['submitted'] }))[0]);
    const deadline = Date.parse(bill.consentDeadline!.replace(' ', 'T') + 'Z');
    expect(deadline).to.be.within(Math.floor(before / 1000) * 1000 + 15 * 60_000, Date.now() + 15 * 60_000);
    // Approve in tab 1: back to the page, approved; tab 2's consent page no longer waits.
    await Promise.all([tab1.waitForURL(/\/stet\/signatory\/done\?/), tab1.getByTestId('approve').click()]);
    expect(await tab1.getByTestId('result').textContent()).to.equal('Payment approved');
    expect(await tab1.getByTestId('progress').textContent()).to.equal(`1 of ${queued.length}`);
    await tab2.reload();
    expect(await tab2.locator('h1').textContent()).to.equal('Nothing to approve');
    expect(posts(pid)).to.have.length(1);
  });

  it('ON-OPEN-EXPORT a payment never POSTed can still go in a pain.001 file; the page then no longer offers or sends it', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    await page.goto(link());
    const article = page.getByTestId('payment').last();
    const pid = (await article.getAttribute('data-payment-id'))!;
    const token = await article.locator('input[name="c"]').getAttribute('value');
    const [bill] = await readWaitingBills(stack.runtime.odoo, { paymentInformationIds: [pid] });
    const out = join(mkdtempSync(join(tmpdir(), 'stetpay-on-signatory-')), 'payments.xml');
    const r = await exportPain001({ odoo: stack.runtime.odoo, queues: stack.runtime.queues, payments: stack.config.payments }, { outPath: out, billIds: [bill!.billId] });
    expect(r.exported.map((e) => e.billId)).to.deep.equal([bill!.billId]);
    expect(await stack.runtime.queues.signatory.getJobState(pid)).to.equal('unknown');
    await page.reload();
    expect(await page.locator(`[data-payment-id="${pid}"]`).count()).to.equal(0);
    const answer = await page.request.post(`${stack.config.callback.publicUrl}/stet/signatory/approve`, { form: { p: pid, c: token! }, maxRedirects: 0 });
    expect(answer.status()).to.equal(409);
    expect(posts(pid)).to.deep.equal([]);
  });

  async function poll<T>(read: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < 100; i++) {
      const v = await read();
      if (v) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('not there after 10 s');
  }
  const screenshot = (page: Page, name: string) => page.screenshot({ path: join(screenshotDir(), name), fullPage: true });
});
