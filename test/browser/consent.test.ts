/**
 * The signatory's and the accountant's journeys in a real browser (Debian's
 * headless Chromium through playwright-core), over real HTTP(S), real Redis
 * and real XML-RPC: the consent link read from the bill in Odoo, the bank's
 * consent page, Approve / Refuse, stetpay's callback page in English and
 * French, the bill's status in Odoo, execution and payment registration, a
 * replayed callback, and the HTML reconciliation report.
 *
 * The steps form one journey and run in order (each `it` builds on the last).
 * Screenshots: see docs/browser-test.md.
 */
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TrackedBill } from '../../connector/model/index.js';
import { paymentMemoField, readTrackedBills } from '../../connector/odoo/index.js';
import { makeReport } from '../../plugin/report/index.js';
import { runPayments } from '../../plugin/run/run-payments.js';
import { waitForSettled } from '../../plugin/run/wait-for-settled.js';
import { chromiumMissing, launchChromium, screenshotDir } from './chromium.js';
import { poll, startStack, type Stack } from './stack.js';

const DAY_MS = 86_400_000;

/** What a French bank page shows for an amount in cents: `1 234,56 EUR` (written here, not taken from the sandbox). */
function frenchAmount(cents: number, currency: string): string {
  const units = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${units},${String(cents % 100).padStart(2, '0')} ${currency}`;
}

/** Latin letters without accents, upper case, single spaces: how a name looks once made SEPA-safe. */
function plainName(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, ' ').trim().toUpperCase();
}

const missing = chromiumMissing();
if (missing) console.log(`  (browser test skipped: ${missing})`);

(missing ? describe.skip : describe)('browser: the signatory approves or refuses at the bank, the accountant reads the report (headless Chromium)', function () {
  this.timeout(30_000);

  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let shots: string;
  /** Bills the run queued, in id order: [0] approved in English, [1] approved in French, [2] refused, the rest left alone. */
  let queued: number[];
  let invalidCount: number;
  const shot = async (page: Page, name: string) => {
    const path = join(shots, name);
    await page.screenshot({ path, fullPage: true });
    return path;
  };
  const bill = async (id: number): Promise<TrackedBill> => {
    const [b] = await readTrackedBills(stack.runtime.odoo, { billIds: [id], withIban: true });
    if (!b) throw new Error(`bill ${id} is not in Odoo`);
    return b;
  };
  async function newPage(locale: 'en-GB' | 'fr-FR'): Promise<Page> {
    const ctx = await browser.newContext({ ignoreHTTPSErrors: true, locale, viewport: { width: 1000, height: 700 } });
    contexts.push(ctx);
    return ctx.newPage();
  }
  const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();

  /** Opens the bill's consent link as read from Odoo and checks the page against the bill. */
  async function openConsent(page: Page, b: TrackedBill, screenshot: string): Promise<void> {
    expect(b.status).to.equal('submitted');
    expect(b.consentUrl, 'consent link on the bill').to.be.a('string').and.match(/^https:\/\/127\.0\.0\.1:\d+\//);
    const res = await page.goto(b.consentUrl!);
    expect(res?.status()).to.equal(200);
    await shot(page, screenshot);
    expect(await page.locator('h1').textContent()).to.equal('Approve a payment');
    const cents = Math.round(b.amountResidual * 100);
    expect(await text(page, 'amount')).to.equal(frenchAmount(cents, 'EUR'));
    expect(await text(page, 'beneficiary-iban')).to.equal(b.supplierIban);
    const shownName = await text(page, 'beneficiary-name');
    expect(shownName.length).to.be.within(1, 70);
    expect(plainName(b.supplierName ?? '')).to.include(plainName(shownName).slice(0, 30));
    expect(await text(page, 'execution-date')).to.equal(b.requestedExecutionDate);
    expect(await text(page, 'end-to-end-id')).to.equal(b.endToEndId);
    expect(await text(page, 'debtor-iban')).to.equal(stack.odoo.seedInfo!.debtorIban);
    expect(await page.getByTestId('approve').isVisible()).to.equal(true);
    expect(await page.getByTestId('refuse').isVisible()).to.equal(true);
  }

  before(async function () {
    this.timeout(60_000);
    shots = screenshotDir();
    stack = await startStack({ invoices: 10 });
    browser = await launchChromium();
  });

  after(async function () {
    this.timeout(30_000);
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  });

  it('the run sends the approved bills; each shows `submitted` and its consent link in Odoo', async () => {
    const run = await runPayments({ odoo: stack.runtime.odoo, config: stack.config, profile: stack.profile, queues: stack.runtime.queues });
    queued = [...run.queuedBillIds].sort((a, b) => a - b);
    invalidCount = run.byStatus.invalid ?? 0;
    expect(queued.length, 'payable bills queued').to.be.at.least(4);
    const settled = await waitForSettled(stack.runtime.odoo, queued, { timeoutMs: 10_000, pollMs: 100 });
    expect(settled.pending).to.deep.equal([]);
    for (const b of await readTrackedBills(stack.runtime.odoo, { billIds: queued })) {
      expect(b.status, `bill ${b.name}`).to.equal('submitted');
      expect(b.resourceId, 'the bank resource id').to.be.a('string');
      expect(b.consentUrl).to.match(/\/consent\//);
    }
  });

  for (const [index, locale, title, screenshotName] of [
    [0, 'en-GB', 'Payment approved', 'en'],
    [1, 'fr-FR', 'Paiement approuvé', 'fr'],
  ] as const) {
    it(`CONSENT-${locale}: the consent page shows the bill; Approve lands on "${title}" and the bill is \`accepted\` within seconds`, async () => {
      const id = queued[index]!;
      const before = await bill(id);
      const page = await newPage(locale);
      await openConsent(page, before, `consent-${screenshotName}.png`);

      await Promise.all([page.waitForURL(/\/stet\/callback\/success\?/), page.getByTestId('approve').click()]);
      const landed = new URL(page.url());
      expect(landed.origin).to.equal(stack.config.callback.publicUrl);
      expect(landed.pathname).to.equal('/stet/callback/success');
      await shot(page, `callback-approved-${screenshotName}.png`);
      expect(await page.locator('h1').textContent()).to.equal(title);
      expect(await page.locator('html').getAttribute('lang')).to.equal(locale.slice(0, 2));
      // The page names the bill by its number, as the clerk knows it, and links to it in Odoo (17: the /web# form).
      expect(await page.locator('dd').first().textContent()).to.equal(before.name);
      const back = page.getByRole('link', { name: index === 0 ? `Open bill ${before.name} in Odoo` : `Ouvrir la facture ${before.name} dans Odoo` });
      expect(await back.getAttribute('href')).to.equal(`${stack.odoo.url}/web#id=${id}&model=account.move&view_type=form`);

      const after = await poll(`bill ${before.name} accepted`, () => bill(id), (b) => b.status === 'accepted');
      expect(after.bankStatus).to.equal('ACSP');
      expect(after.resourceId).to.equal(before.resourceId);
    });
  }

  it('CONSENT-REFUSE: Refuse lands on "Payment refused"; the bill ends `rejected` with the bank’s reason CUST', async () => {
    const id = queued[2]!;
    const before = await bill(id);
    const page = await newPage('en-GB');
    await openConsent(page, before, 'consent-refuse.png');
    await Promise.all([page.waitForURL(/\/stet\/callback\/failure\?/), page.getByTestId('refuse').click()]);
    expect(new URL(page.url()).pathname).to.equal('/stet/callback/failure');
    await shot(page, 'callback-refused-en.png');
    expect(await page.locator('h1').textContent()).to.equal('Payment refused');

    const after = await poll(`bill ${before.name} rejected`, () => bill(id), (b) => b.status === 'rejected');
    expect(after.bankStatus).to.equal('RJCT');
    // A sentence a clerk understands, with the bank's code for support (regression: it was "The bank reports RJCT (reason CUST).").
    expect(after.reason).to.include('CUST').and.include('the signatory refused it at the bank').and.include('Nothing was paid');
    expect(after.paymentState).to.equal('not_paid');
  });

  it('CONSENT-REPLAY: opening a used callback link again shows the 400 page and changes nothing', async () => {
    const id = queued[0]!;
    const before = await bill(id);
    const p = stack.bank.payments().find((x) => x.resourceId === before.resourceId)!;
    const bankCallsBefore = stack.bank.requests().length;
    const page = await newPage('en-GB');
    const res = await page.goto(p.successfulReportUrl);
    expect(res?.status()).to.equal(400);
    await shot(page, 'callback-replayed-en.png');
    expect(await page.locator('h1').textContent()).to.equal('Link already used');
    // Regression: it said "Bill #<id>"; now the number, and the way back to the bill in Odoo.
    expect(await page.locator('dd').first().textContent()).to.equal(before.name);
    expect(await page.getByRole('link', { name: `Open bill ${before.name} in Odoo` }).getAttribute('href')).to.equal(`${stack.odoo.url}/web#id=${id}&model=account.move&view_type=form`);
    // Success and failure links share one nonce: the other one is spent too.
    const res2 = await page.goto(p.unsuccessfulReportUrl!);
    expect(res2?.status()).to.equal(400);
    expect(await page.locator('h1').textContent()).to.equal('Link already used');

    await new Promise((r) => setTimeout(r, 300));
    expect(await bill(id)).to.deep.equal(before);
    expect(stack.bank.requests().length, 'no bank call for a replayed link').to.equal(bankCallsBefore);
  });

  it('EXECUTED: past the execution date, a sync shows both approved bills `executed` and paid in Odoo (memo = end-to-end id)', async () => {
    stack.bank.advanceClock((stack.profile.maxDaysAhead + 1) * DAY_MS);
    const approved = [queued[0]!, queued[1]!];
    await poll(
      'approved bills executed',
      async () => {
        await stack.runtime.syncNow();
        return readTrackedBills(stack.runtime.odoo, { billIds: approved });
      },
      (bs) => bs.every((b) => b.status === 'executed'),
    );
    const odoo = stack.runtime.odoo;
    const memo = paymentMemoField(odoo.version);
    for (const id of approved) {
      const b = await bill(id);
      expect(b.bankStatus).to.equal('ACSC');
      expect(['paid', 'in_payment']).to.include(b.paymentState);
      expect(b.amountResidual).to.equal(0);
      const payments = await odoo.call<Record<string, unknown>[]>('account.payment', 'search_read', [[[memo, '=', b.endToEndId]]], { fields: [memo, 'amount', 'state', 'partner_id'] });
      expect(payments, `payments with memo ${b.endToEndId}`).to.have.length(1);
      expect(Math.round(Number(payments[0]!.amount) * 100)).to.equal(Math.round(b.amountTotal * 100));
    }
    // A second sync registers nothing twice.
    await stack.runtime.syncNow();
    for (const id of approved) {
      const b = await bill(id);
      const n = await odoo.call<number>('account.payment', 'search_count', [[[memo, '=', b.endToEndId]]]);
      expect(n).to.equal(1);
    }
  });

  it('REPORT-HTML: the report opens from a file with no network; the summary counts each status; IBANs show only their last 4 characters', async () => {
    const report = await makeReport(stack.runtime.odoo, { format: 'html', source: 'Odoo dev server / browser test' });
    const file = join(shots, 'report.html');
    writeFileSync(file, report.text);
    const page = await newPage('en-GB');
    await page.setViewportSize({ width: 1500, height: 900 });
    const network: string[] = [];
    await page.context().route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      network.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href);
    await shot(page, 'report.png');
    expect(network, 'requests other than the file').to.deep.equal([]);
    expect(await page.locator('h1').textContent()).to.equal('Reconciliation report');

    // Expected: the two approved ones executed, the refused one and those nobody answered (NOAS) rejected, the invalid ones.
    const expected: Record<string, number> = { executed: 2, rejected: queued.length - 2, ...(invalidCount ? { invalid: invalidCount } : {}) };
    const cards: Record<string, number> = {};
    for (const card of await page.locator('.summary .card').all()) {
      const status = ((await card.locator('.st').textContent()) ?? '').replace(' ', '_');
      cards[status] = (cards[status] ?? 0) + Number(await card.locator('.n').textContent());
    }
    expect(cards).to.deep.equal(expected);
    const rows = page.locator('tbody tr');
    expect(await rows.count()).to.equal(queued.length + invalidCount);

    const headers = (await page.locator('thead th').allTextContents()).map((h) => h.trim());
    const ibanCol = headers.indexOf('Supplier IBAN');
    expect(ibanCol).to.be.at.least(0);
    const tracked = await readTrackedBills(stack.runtime.odoo, { withIban: true });
    // Compare without any spacing: an IBAN quoted in a reason is often grouped by four.
    const compactBody = ((await page.locator('body').textContent()) ?? '').replace(/\s+/g, '');
    const quoted = tracked.flatMap((b) => (b.reason ?? '').match(/\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g) ?? []);
    expect(quoted.length, 'reasons in Odoo quoting an IBAN (the invalid bills)').to.be.at.least(invalidCount ? 1 : 0);
    for (const iban of quoted.map((q) => q.replace(/ /g, ''))) expect(compactBody, `IBAN ${iban.slice(0, 4)}… quoted in full in a reason`).not.to.include(iban);
    let checked = 0;
    for (const b of tracked.filter((t) => t.supplierIban)) {
      const iban = b.supplierIban!;
      expect(compactBody, 'a full IBAN on the page').not.to.include(iban);
      const row = rows.filter({ has: page.locator('td', { hasText: b.name }) }).first();
      const cell = ((await row.locator('td').nth(ibanCol).textContent()) ?? '').trim();
      expect(cell).to.equal('*'.repeat(iban.length - 4) + iban.slice(-4));
      checked++;
    }
    expect(checked).to.be.at.least(queued.length);
  });
});
