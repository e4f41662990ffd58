/// <reference lib="dom" />
/**
 * The signatory's morning in a real browser (headless Chromium, a phone-sized
 * window): the page reached through the signed link of their Odoo to-do,
 * every payment waiting at the bank with the totals per execution date, three
 * payments approved in a row (the bank sends the browser back to the result
 * and the next one, "1 of N", "2 of N", "3 of N"), the page in French, a
 * forged, an expired and a replayed link refused, and a payment whose consent
 * window ended. The whole product on real parts (test/browser/stack.ts), in
 * `nightly` mode: the workers POSTed every payment after the run.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { readTrackedBills, readWaitingBills, writeBillUpdates } from '../../connector/odoo/index.js';
import { toCents } from '../../connector/rules/index.js';
import { runPayments } from '../../plugin/run/run-payments.js';
import { waitForSettled } from '../../plugin/run/wait-for-settled.js';
import { longDate, money, signatoryLink } from '../../plugin/signatory/index.js';
import { chromiumMissing, screenshotDir } from './chromium.js';
import { poll, type Stack, stackAndBrowserPerSuite } from './stack.js';

const missing = chromiumMissing();
if (missing) console.log(`  (signatory page browser test skipped: ${missing})`);

const PHONE = { width: 390, height: 844 };

/** WCAG relative luminance contrast of two `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

(missing ? describe.skip : describe)('browser: the signatory\'s page, approving payment after payment (headless Chromium, phone size)', function () {
  this.timeout(30_000);
  let stack: Stack;
  const browser = stackAndBrowserPerSuite({ invoices: 12, seed: 5, config: { activities: { signatories: { users: ['signatory'] }, clerks: { users: ['clerk'] }, summaryTime: '00:00' } } }, (s) => (stack = s));
  let shots: string;
  let queued: number[];
  let userId: number;
  const hours = (h: number) => new Date(Date.now() + h * 3600_000);
  const link = (exp = hours(12), uid = userId) => signatoryLink(stack.config.callback.publicUrl, stack.config.callback.secret, uid, exp);
  const newPage = async (locale: 'en-GB' | 'fr-FR'): Promise<Page> => (await browser.context({ locale, viewport: PHONE, isMobile: true, hasTouch: true })).newPage();
  const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, name), fullPage: true });
  const texts = async (page: Page, testId: string) => (await page.getByTestId(testId).allTextContents()).map((t) => t.trim());

  before(async function () {
    this.timeout(60_000);
    shots = screenshotDir();
    userId = stack.odoo.admin.uid;
    const run = await runPayments({ odoo: stack.runtime.odoo, config: stack.config, profile: stack.profile, queues: stack.runtime.queues });
    queued = [...run.queuedBillIds];
    const settled = await waitForSettled(stack.runtime.odoo, queued, { timeoutMs: 10_000, pollMs: 100 });
    expect(settled.pending).to.deep.equal([]);
  });

  it('SIGNATORY-LIST the link opens the list (then leaves the address bar): every payment waiting at the bank with supplier, amount, bill, date and time left, and the totals per execution date', async () => {
    const waiting = (await readWaitingBills(stack.runtime.odoo)).filter((b) => b.status === 'submitted');
    expect(waiting.length, 'payments waiting at the bank').to.be.at.least(4);
    const page = await newPage('en-GB');
    const res = await page.goto(link());
    expect(res?.status()).to.equal(200);
    expect(new URL(page.url()).pathname).to.equal('/stet/signatory');
    expect(page.url(), 'the link token left the address bar').to.not.contain('t=');
    await shot(page, 'signatory-list-en.png');
    expect(await page.locator('h1').textContent()).to.equal('Payments to approve at the bank');
    const total = waiting.reduce((s, b) => s + toCents(b.amount), 0);
    expect(await page.getByTestId('summary').textContent()).to.equal(`For Mitchell Admin: ${waiting.length} payments waiting, ${money(total, 'EUR', 'en')} in all.`);
    // One row per execution date: count and amount, summed here from Odoo's record.
    const dates = [...new Set(waiting.map((b) => b.executionDate!))].sort();
    const rows = await page.getByTestId('total-row').allTextContents();
    expect(rows).to.deep.equal(
      dates.map((d) => {
        const of = waiting.filter((b) => b.executionDate === d);
        return `${longDate(d, 'en')}${of.length}${money(of.reduce((s, b) => s + toCents(b.amount), 0), 'EUR', 'en')}`;
      }),
    );
    // Each payment: earliest date first, then by bill number; supplier, amount, bill, date, time left.
    const expected = [...waiting].sort((a, b) => a.executionDate!.localeCompare(b.executionDate!) || a.name.localeCompare(b.name));
    expect(await texts(page, 'bill')).to.deep.equal(expected.map((b) => b.name));
    expect(await texts(page, 'supplier')).to.deep.equal(expected.map((b) => b.supplierName));
    expect(await texts(page, 'amount')).to.deep.equal(expected.map((b) => money(toCents(b.amount), 'EUR', 'en')));
    expect(await texts(page, 'execution-date')).to.deep.equal(expected.map((b) => longDate(b.executionDate!, 'en')));
    for (const t of await texts(page, 'time-left')) expect(t).to.match(/^1[45] min left \(until \d\d:\d\d\)$/);
    // Usable on a phone: nothing wider than the screen, buttons big enough to touch.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
    const box = await page.getByTestId('approve').first().boundingBox();
    expect(box!.height).to.be.at.least(44);
  });

  it('SIGNATORY-TODO after the sync, the signatory\'s to-do in Odoo (one, whatever the number of payments) carries her own link; opened in the browser, it shows her page', async () => {
    await stack.runtime.syncNow();
    const todos = await stack.runtime.odoo.call<{ user_id: [number, string]; summary: string; note: string }[]>('mail.activity', 'search_read', [[['user_id', '=', stack.odoo.signatory.uid]]], { fields: ['user_id', 'summary', 'note'] });
    const waiting = (await readWaitingBills(stack.runtime.odoo)).filter((b) => b.status === 'submitted');
    expect(todos.map((t) => t.summary)).to.deep.equal([`Approuver ${waiting.length} paiements à la banque (stetpay)`]);
    const href = /href="([^"]+)"/.exec(todos[0]!.note)![1]!.replace(/&amp;/g, '&');
    const page = await newPage('fr-FR');
    expect((await page.goto(href))?.status()).to.equal(200);
    expect(await page.getByTestId('summary').textContent()).to.match(new RegExp(`^Pour Claire Martin : ${waiting.length} paiements en attente`));
    await stack.runtime.syncNow();
    expect(await stack.runtime.odoo.call('mail.activity', 'search_count', [[['user_id', '=', stack.odoo.signatory.uid]]]), 'once a morning').to.equal(1);
  });

  it('SIGNATORY-A11Y the page is accessible: a language, one h1, labelled buttons naming their payment, reachable by keyboard, text contrast of at least 4.5:1', async () => {
    const page = await newPage('en-GB');
    await page.goto(link());
    expect(await page.locator('html').getAttribute('lang')).to.equal('en');
    expect(await page.locator('h1').count()).to.equal(1);
    expect(await page.locator('table caption').textContent()).to.equal('Totals per execution date');
    const first = (await texts(page, 'supplier'))[0]!;
    const amount = (await texts(page, 'amount'))[0]!;
    // The button's accessible name says which payment it approves.
    expect(await page.getByRole('button', { name: `Approve at the bank: ${first}, ${amount}`, exact: true }).count()).to.equal(1);
    // Keyboard: Tab reaches the skip link first, then the first payment's button.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal('Skip to the payments');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).to.equal('approve');
    for (const sel of ['body', 'h1', '[data-testid="approve"]', 'dt', 'th']) {
      const [fg, bg] = await page.locator(sel).first().evaluate((el) => {
        let bgEl: Element | null = el;
        let bgc = 'rgba(0, 0, 0, 0)';
        while (bgEl && (bgc === 'rgba(0, 0, 0, 0)' || bgc === 'transparent')) {
          bgc = getComputedStyle(bgEl).backgroundColor;
          bgEl = bgEl.parentElement;
        }
        return [getComputedStyle(el).color, bgc === 'rgba(0, 0, 0, 0)' ? 'rgb(255, 255, 255)' : bgc];
      });
      expect(contrast(fg!, bg!), `${sel}: ${fg} on ${bg}`).to.be.at.least(4.5);
    }
  });

  it('SIGNATORY-3-IN-A-ROW three payments approved in a row: each button goes to the bank, the bank sends the browser back to the result and the next one (1, 2, 3 of N); each bill is accepted in Odoo', async () => {
    const page = await newPage('en-GB');
    await page.goto(link());
    const total = (await page.getByTestId('payment').count());
    const approvedIds: string[] = [];
    let article = page.getByTestId('payment').first();
    for (let k = 1; k <= 3; k++) {
      const paymentId = (await article.getAttribute('data-payment-id'))!;
      approvedIds.push(paymentId);
      await Promise.all([page.waitForURL(/\/consent\//), article.getByTestId('approve').click()]);
      expect(await page.locator('h1').textContent(), 'the bank\'s consent page').to.equal('Approve a payment');
      await Promise.all([page.waitForURL(/\/stet\/signatory\/done\?/), page.getByTestId('approve').click()]);
      await shot(page, `signatory-return-${k}.png`);
      expect(await page.getByTestId('result').textContent()).to.equal('Payment approved');
      expect(await page.getByTestId('progress').textContent()).to.equal(`${k} of ${total}`);
      article = page.getByTestId('payment').first();
      expect(await article.getAttribute('data-payment-id'), 'the next payment is another one').to.not.be.oneOf(approvedIds);
    }
    // Odoo follows through the batched write-back (the page showed each result at once).
    const accepted = async () => (await readTrackedBills(stack.runtime.odoo, { statuses: ['accepted'] })).map((b) => b.paymentInformationId).sort();
    expect(await poll('the three bills accepted in Odoo', accepted, (ids) => ids.length >= 3)).to.deep.equal([...approvedIds].sort());
    // Back on the list, the approved ones are gone.
    await page.getByTestId('back-to-list').click();
    expect(await page.getByTestId('payment').count()).to.equal(total - 3);
  });

  it('SIGNATORY-FR a French browser gets the page in French: title, totals, amounts and dates', async () => {
    const page = await newPage('fr-FR');
    await page.goto(link());
    await shot(page, 'signatory-list-fr.png');
    expect(await page.locator('html').getAttribute('lang')).to.equal('fr');
    expect(await page.locator('h1').textContent()).to.equal('Paiements à approuver à la banque');
    expect(await page.locator('table caption').textContent()).to.equal('Totaux par date d’exécution');
    const waiting = (await readWaitingBills(stack.runtime.odoo)).filter((b) => b.status === 'submitted').sort((a, b) => a.executionDate!.localeCompare(b.executionDate!) || a.name.localeCompare(b.name));
    expect(await texts(page, 'amount')).to.deep.equal(waiting.map((b) => money(toCents(b.amount), 'EUR', 'fr')));
    expect((await texts(page, 'amount'))[0]).to.match(/^[\d\u202f]+,\d\d\u00a0€$/);
    expect((await texts(page, 'execution-date'))[0]).to.match(/^(lundi|mardi|mercredi|jeudi|vendredi) \d{1,2} [a-zéû]+ \d{4}$/);
    expect((await page.getByTestId('approve').first().textContent())).to.match(/^Approuver à la banque/);
  });

  it('SIGNATORY-LINKS a forged, an expired and a replayed link are refused and change nothing (no session, nothing opened)', async () => {
    const page = await newPage('en-GB');
    const good = link();
    const forged = good.slice(0, -3) + (good.endsWith('A') ? 'BBB' : 'AAA');
    let res = await page.goto(forged);
    expect(res?.status()).to.equal(400);
    expect(await page.getByTestId('message-title').textContent()).to.equal('Invalid link');
    // Another signatory's id with this one's signature: forged too.
    const [body, sig] = new URL(good).searchParams.get('t')!.split('.');
    const other = Buffer.from(Buffer.from(body!, 'base64url').toString().replace(/^[^~]+/, (userId + 1).toString(36))).toString('base64url');
    res = await page.goto(`${stack.config.callback.publicUrl}/stet/signatory?t=${other}.${sig}`);
    expect(await page.getByTestId('message-title').textContent()).to.equal('Invalid link');
    res = await page.goto(link(new Date(Date.now() - 1000)));
    expect(res?.status()).to.equal(400);
    await shot(page, 'signatory-link-expired.png');
    expect(await page.getByTestId('message-title').textContent()).to.equal('Link expired');
    expect(await page.context().cookies(), 'no session was given').to.deep.equal([]);
    res = await page.goto(`${stack.config.callback.publicUrl}/stet/signatory`);
    expect(res?.status()).to.equal(401);
    // Replayed: the first browser opens it; a second browser gets "already used"; the first may come back.
    const first = await newPage('en-GB');
    expect((await first.goto(good))?.status()).to.equal(200);
    const second = await newPage('en-GB');
    res = await second.goto(good);
    expect(res?.status()).to.equal(400);
    expect(await second.getByTestId('message-title').textContent()).to.equal('Link already used');
    expect(await second.context().cookies()).to.deep.equal([]);
    expect((await first.goto(good))?.status(), 'the browser that opened it goes on').to.equal(200);
    expect(new URL(first.url()).pathname).to.equal('/stet/signatory');
  });

  it('SIGNATORY-WINDOW-ENDED a payment whose consent window ended shows when the bank stopped waiting and no button; opening it anyway sends nothing; the sync records the bank\'s NOAS', async () => {
    const [target] = (await readWaitingBills(stack.runtime.odoo)).filter((b) => b.status === 'submitted');
    const page = await newPage('en-GB');
    await page.goto(link());
    const article = page.locator(`[data-payment-id="${target!.paymentInformationId}"]`);
    // The button's token, as a page opened before the end holds it.
    const token = await article.locator('input[name="c"]').getAttribute('value');
    // 16 minutes pass on both sides: Odoo's record of the window's end, and the bank's clock.
    const ended = new Date(Date.now() - 60_000);
    await writeBillUpdates(stack.runtime.odoo, [{ billId: target!.billId, values: { x_stet_consent_deadline: ended.toISOString().slice(0, 19).replace('T', ' ') } }]);
    await page.reload();
    expect(await article.getAttribute('data-window')).to.equal('ended');
    expect(await article.getByTestId('approve').count()).to.equal(0);
    expect(await article.getByTestId('time-left').textContent()).to.match(/^The bank stopped waiting at \d\d:\d\d: it rejects this payment \(no approval in time\)\. The clerk can send it again\.$/);
    await shot(page, 'signatory-window-ended.png');
    const posts = stack.bank.requests().length;
    // The button of the page opened before: nothing to approve, nothing sent.
    // (sent with the page's cookies: the page itself allows no script to fetch)
    const post = (c: string) => page.request.post(`${stack.config.callback.publicUrl}/stet/signatory/approve`, { form: { p: target!.paymentInformationId, c }, maxRedirects: 0 });
    const answer = await post(token!);
    expect(answer.status()).to.equal(409);
    expect(await answer.text()).to.contain('Nothing to approve');
    // A token of another session (or altered): refused before anything is read.
    expect((await post('x')).status()).to.equal(403);
    expect(stack.bank.requests().length).to.equal(posts);
    stack.bank.advanceClock(16 * 60_000);
    await stack.runtime.syncNow([target!.billId]);
    const [after] = await readTrackedBills(stack.runtime.odoo, { billIds: [target!.billId] });
    expect(after).to.include({ status: 'rejected', bankStatus: 'RJCT' });
    expect(after!.reason).to.contain('nobody approved it at the bank in time');
    // The clerk is told, on the bill, with the reason and what to do.
    await stack.runtime.syncNow();
    const todos = await stack.runtime.odoo.call<{ res_id: number; summary: string; note: string }[]>('mail.activity', 'search_read', [[['user_id', '=', stack.odoo.clerk.uid]]], { fields: ['res_id', 'summary', 'note'] });
    const mine = todos.filter((t) => t.res_id === target!.billId);
    expect(mine.map((t) => t.summary)).to.deep.equal([`Payment rejected: ${target!.name} (stetpay)`]);
    expect(mine[0]!.note).to.contain('nobody approved it at the bank in time').and.contain(`run stetpay retry ${target!.name}`);
  });
});
