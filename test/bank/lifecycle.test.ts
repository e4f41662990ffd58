import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BankNotFoundError } from '../../connector/stet/errors/bank-error.js';
import type { StetClient } from '../../connector/stet/stet-client.js';
import type { RunningBankSandbox } from '../../sandbox/bank/index.js';
import { CREDITOR_IBAN, REPORT_KO, REPORT_OK, expectProjectSchemaValid, paymentRequest } from './fixtures.js';
import { clientFor, rawHttps, startSandbox } from './harness.js';

const DAY = 24 * 3600 * 1000;

describe('bank: lifecycle, consent pages and the sandbox clock', () => {
  let sb: RunningBankSandbox;
  let client: StetClient;
  before(async () => {
    // A Wednesday noon in Paris, so execution dates are predictable.
    sb = await startSandbox({ startTime: new Date('2030-03-13T11:00:00Z'), consentTimeoutMs: 15 * 60 * 1000 });
  });
  // reset() also forgets the tokens: a new client per test.
  beforeEach(() => { client = clientFor(sb); });
  afterEach(() => {
    client.close();
    sb.reset();
  });
  after(async () => {
    await sb.close();
  });

  async function create(o: Parameters<typeof paymentRequest>[0] = {}) {
    const body = paymentRequest({ now: sb.now(), ...o });
    await expectProjectSchemaValid(body);
    const r = await client.paymentRequests.create(body);
    return { body, resourceId: r.meta.resourceId as string, href: r.body._links?.consentApproval?.href as string };
  }

  let caPem = '';
  /** As a browser would: no client certificate. */
  const openConsent = (href: string) => rawHttps(href, { ca: Buffer.from(caPem) });
  before(async () => {
    const { readFile } = await import('node:fs/promises');
    caPem = await readFile(sb.certs.caCertPath, 'utf8');
  });

  async function decide(href: string, decision: 'approve' | 'refuse') {
    const page = await openConsent(href);
    const nonce = /name="nonce" value="([^"]+)"/.exec(page.text)?.[1] as string;
    const u = new URL(href);
    return rawHttps(u.origin + u.pathname, {
      method: 'POST', ca: Buffer.from(caPem), headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ nonce, decision }).toString(),
    });
  }

  it('the consent page (no client certificate) shows debtor, beneficiary, IBAN, amount in euros and execution date', async () => {
    const { href } = await create({ amount: 1234.56, inDays: 3 });
    const page = await openConsent(href);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('data-testid="amount">1 234,56 EUR<');
    expect(page.text).to.contain(`data-testid="beneficiary-iban">${CREDITOR_IBAN}<`);
    expect(page.text).to.contain('data-testid="beneficiary-name">Fournitures Dupont SARL<');
    expect(page.text).to.contain('data-testid="debtor-name">Small Heath SAS<');
    expect(page.text).to.contain('data-testid="execution-date">2030-03-18<'); // Sat 16 -> Mon 18 (NWM-06)
    expect(page.text).to.contain('data-testid="approve"').and.contain('data-testid="refuse"');
  });

  it('ACTC after the POST; approve redirects (302) to successfulReportUrl; ACSP; the execution date on the clock -> ACSC', async () => {
    const { resourceId, href } = await create({ inDays: 2 });
    expect((await client.paymentRequests.retrieve(resourceId)).body.paymentRequest.paymentInformationStatus).to.equal('ACTC');
    const answer = await decide(href, 'approve');
    expect(answer.status).to.equal(302);
    expect(answer.headers.location).to.equal(REPORT_OK);
    const accepted = (await client.paymentRequests.retrieve(resourceId)).body.paymentRequest;
    expect(accepted.paymentInformationStatus).to.equal('ACSP');
    expect(accepted.creditTransferTransaction[0]?.transactionStatus).to.equal('ACSP');
    sb.advanceClock(1 * DAY);
    expect((await client.paymentRequests.retrieve(resourceId)).body.paymentRequest.paymentInformationStatus).to.equal('ACSP');
    sb.advanceClock(1 * DAY);
    const done = (await client.paymentRequests.retrieve(resourceId)).body.paymentRequest;
    expect(done.paymentInformationStatus).to.equal('ACSC');
    expect(done.creditTransferTransaction[0]?.transactionStatus).to.equal('ACSC');
    expect(done.creditTransferTransaction[0]?.resourceId).to.equal(`${resourceId}-T1`);
  });

  it('refuse redirects (302) to unsuccessfulReportUrl; RJCT with reason CUST', async () => {
    const { resourceId, href } = await create();
    const answer = await decide(href, 'refuse');
    expect(answer.status).to.equal(302);
    expect(answer.headers.location).to.equal(REPORT_KO);
    const read = (await client.paymentRequests.retrieve(resourceId)).body.paymentRequest;
    expect(read).to.include({ paymentInformationStatus: 'RJCT', statusReasonInformation: 'CUST' });
    expect(read.creditTransferTransaction[0]).to.include({ transactionStatus: 'RJCT', statusReasonInformation: 'CUST' });
  });

  it('NWM-10: with no unsuccessfulReportUrl a refusal redirects to successfulReportUrl', async () => {
    const { href } = await create({ unsuccessfulReportUrl: null });
    const answer = await decide(href, 'refuse');
    expect(answer.headers.location).to.equal(REPORT_OK);
  });

  it('no consent within consentTimeoutMs -> RJCT NOAS, and the consent page no longer offers a choice', async () => {
    const { resourceId, href } = await create();
    sb.advanceClock(14 * 60 * 1000);
    expect((await client.paymentRequests.retrieve(resourceId)).body.paymentRequest.paymentInformationStatus).to.equal('ACTC');
    sb.advanceClock(2 * 60 * 1000);
    expect((await client.paymentRequests.retrieve(resourceId)).body.paymentRequest).to.include({ paymentInformationStatus: 'RJCT', statusReasonInformation: 'NOAS' });
    expect((await openConsent(href)).status).to.equal(409);
  });

  it('GET answers for 35 days of sandbox clock, then 404', async () => {
    const { resourceId } = await create();
    sb.advanceClock(35 * DAY - 60_000);
    expect((await client.paymentRequests.retrieve(resourceId)).meta.status).to.equal(200);
    sb.advanceClock(2 * 60_000);
    const e = await client.paymentRequests.retrieve(resourceId).then(() => undefined, (err: unknown) => err);
    expect(e).to.be.instanceOf(BankNotFoundError);
  });

  it('a consent link with a wrong nonce is refused (403)', async () => {
    const { href } = await create();
    expect((await openConsent(href.replace(/nonce=[0-9a-f]+/, 'nonce=00'))).status).to.equal(403);
  });

  it('auto-consent approves at once and GETs the successfulReportUrl as the browser would', async () => {
    const hits: string[] = [];
    const callback: Server = createServer((req, res) => { hits.push(req.url ?? ''); res.end('ok'); });
    await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/stet/callback?bill=42`;
    const auto = await startSandbox({ autoConsent: 'approve' });
    const c = clientFor(auto);
    try {
      const body = paymentRequest({ now: auto.now(), mutate: (b) => { b.supplementaryData.successfulReportUrl = url; } });
      const r = await c.paymentRequests.create(body);
      expect((await c.paymentRequests.retrieve(r.meta.resourceId as string)).body.paymentRequest.paymentInformationStatus).to.equal('ACSP');
      for (let i = 0; i < 50 && hits.length === 0; i++) await new Promise((res) => setTimeout(res, 20));
      expect(hits).to.deep.equal(['/stet/callback?bill=42']);
    } finally {
      c.close();
      await auto.close();
      await new Promise((r) => callback.close(r));
    }
  });
});
