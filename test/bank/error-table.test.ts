import { expect } from 'chai';
import {
  BankDuplicateError, BankNotFoundError, BankNotSupportedError, BankRateLimitedError, BankRejectedError, BankTransientError, BankUnauthorizedError, type BankError,
} from '../../connector/stet/errors/bank-error.js';
import { classifyBankResponse } from '../../connector/stet/errors/classify-bank-response.js';
import { NWM_18919 } from '../../connector/profiles/index.js';
import type { StetClient } from '../../connector/stet/stet-client.js';
import { GUIDE_FIELD_MESSAGES, type RunningBankSandbox } from '../../sandbox/bank/index.js';
import { OTHER_CREDITOR_IBAN, expectProjectSchemaValid, paymentRequest } from './fixtures.js';
import { clientFor, handCredentials, sandboxAndClientPerSuite, signedPost, startSandbox } from './harness.js';

async function refusal(p: Promise<unknown>): Promise<BankError> {
  try {
    await p;
  } catch (e) {
    return e as BankError;
  }
  throw new Error('expected the bank to refuse the call');
}

describe('bank: the NWM guide error table, client against the sandbox over mTLS', () => {
  let sb: RunningBankSandbox;
  let client: StetClient;
  sandboxAndClientPerSuite((b) => ({ sb, client } = b), { registeredBeneficiaries: ['FR7630004000031234567890143'], cashAccounts: ['FR7630006000011234567890189'] });

  it('accepts a valid NWM payment request with 201, REDIRECT, a consent link, Location and the X-Request-ID echoed', async () => {
    const body = paymentRequest({ now: sb.now() });
    await expectProjectSchemaValid(body);
    const r = await client.paymentRequests.create(body);
    expect(r.meta.status).to.equal(201);
    expect(r.body.appliedAuthenticationApproach).to.equal('REDIRECT');
    expect(r.body._links?.consentApproval?.href).to.match(/^https:\/\/127\.0\.0\.1:\d+\/consent\//);
    expect(r.meta.location).to.equal(`${sb.apiBaseUrl}/payment-requests/${r.meta.resourceId}`);
    const logged = sb.requests().find((e) => e.requestId === r.meta.requestId);
    expect(logged).to.include({ method: 'POST', status: 201, paymentInformationId: body.paymentInformationId });
  });

  const fieldRows: Array<[string, keyof typeof GUIDE_FIELD_MESSAGES, string, (b: Record<string, any>) => void]> = [
    ['bad format of BIC (NWM-19)', 'bic', '$.creditTransferTransaction[0].beneficiary.creditorAgent.bicFi', (b) => { b.creditTransferTransaction[0].beneficiary.creditorAgent.bicFi = 'BNPA12'; }],
    ['bad format of serviceLevel (NWM-01)', 'serviceLevel', '$.paymentTypeInformation.serviceLevel', (b) => { b.paymentTypeInformation.serviceLevel = 'NURG'; }],
    ['chargeBearer other than SLEV (NWM-14)', 'chargeBearer', '$.chargeBearer', (b) => { b.chargeBearer = 'SHAR'; }],
    ['chargeBearer missing (NWM-14)', 'chargeBearer', '$.chargeBearer', (b) => { delete b.chargeBearer; }],
    ['bad format of schemeName (NWM-21)', 'schemeName', '$.creditTransferTransaction[0].beneficiary.creditor.privateId.schemeName', (b) => { b.creditTransferTransaction[0].beneficiary.creditor.privateId = { identification: '12345678900', schemeName: 'XXXX' }; }],
    ['bad format of purpose (NWM-20)', 'purpose', '$.creditTransferTransaction[0].purpose', (b) => { b.creditTransferTransaction[0].purpose = 'SALA'; }],
    ['bad format of categoryPurpose (NWM-15)', 'categoryPurpose', '$.paymentTypeInformation.categoryPurpose', (b) => { b.paymentTypeInformation.categoryPurpose = 'TREA'; }],
    ['categoryPurpose missing (NWM-15)', 'categoryPurpose', '$.paymentTypeInformation.categoryPurpose', (b) => { delete b.paymentTypeInformation.categoryPurpose; }],
  ];
  for (const [name, field, path, mutate] of fieldRows) {
    it(`${name} -> 400 FF01 RJCT with the guide's message, as BankRejectedError naming the field`, async () => {
      const e = await refusal(client.paymentRequests.create(paymentRequest({ now: sb.now(), mutate })));
      expect(e).to.be.instanceOf(BankRejectedError);
      expect(e.status).to.equal(400);
      expect(e.stetCode).to.equal('FF01');
      expect(e.field).to.equal(path);
      expect(e.bankMessage).to.equal(`RJCT / ${GUIDE_FIELD_MESSAGES[field]}`);
      expect(e.requestId).to.match(/^[0-9a-f-]{36}$/);
    });
  }

  const genericRows: Array<[string, string, string, (b: Record<string, any>) => void]> = [
    ['generic bad structure: initiatingParty missing', 'STET schema', '$.initiatingParty', (b) => { delete b.initiatingParty; }],
    ['NWM-02 currency other than EUR', 'NWM-02', '$.creditTransferTransaction[0].instructedAmount.currency', (b) => { b.creditTransferTransaction[0].instructedAmount.currency = 'USD'; }],
    ['NWM-05 two transactions', 'NWM-05', '$.numberOfTransactions', (b) => { b.creditTransferTransaction.push(structuredClone(b.creditTransferTransaction[0])); b.numberOfTransactions = 2; }],
    ['NWM-07 a standing order', 'NWM-07', '$.creditTransferTransaction[0].standingOrderCharacteristics', (b) => { b.creditTransferTransaction[0].standingOrderCharacteristics = { startDate: '2030-01-01T00:00:00.000+01:00', executionRule: 'FWNG', frequency: 'MNTH' }; }],
    ['NWM-08 localInstrument INST', 'NWM-08', '$.paymentTypeInformation.localInstrument', (b) => { b.paymentTypeInformation.localInstrument = 'INST'; }],
    ['NWM-10 successfulReportUrl missing', 'NWM-10', '$.supplementaryData.successfulReportUrl', (b) => { delete b.supplementaryData.successfulReportUrl; }],
    ['NWM-11 DECOUPLED only', 'NWM-11', '$.supplementaryData.acceptedAuthenticationApproach', (b) => { b.supplementaryData.acceptedAuthenticationApproach = ['DECOUPLED']; }],
    ['NWM-13 creationDateTime without milliseconds', 'NWM-13', '$.creationDateTime', (b) => { b.creationDateTime = '2025-01-01T10:00:00+01:00'; }],
    ['NWM-16 creditorAccount missing', 'NWM-16', '$.creditTransferTransaction[0].beneficiary.creditorAccount.iban', (b) => { delete b.creditTransferTransaction[0].beneficiary.creditorAccount; }],
    ['NWM-17 an unregistered beneficiary', 'NWM-17', '$.creditTransferTransaction[0].beneficiary.creditorAccount.iban', (b) => { b.creditTransferTransaction[0].beneficiary.creditorAccount.iban = OTHER_CREDITOR_IBAN; }],
    ['NWM-18 a debtor account that is not a cash account', 'NWM-18', '$.debtorAccount.iban', (b) => { b.debtorAccount.iban = 'FR1420041010050500013M02606'; }],
  ];
  for (const [name, rule, path, mutate] of genericRows) {
    it(`${name} -> 400 FF01 RJCT (generic), as BankRejectedError at ${path}`, async () => {
      const e = await refusal(client.paymentRequests.create(paymentRequest({ now: sb.now(), mutate })));
      expect(e).to.be.instanceOf(BankRejectedError);
      expect(e.status).to.equal(400);
      expect(e.stetCode).to.equal('FF01');
      expect(e.field).to.equal(path);
      expect(e.bankMessage).to.contain(rule);
    });
  }

  it('NWM-03 and NWM-04: a date in the past and one beyond 30 days are refused, 30 days is accepted', async () => {
    expect(await refusal(client.paymentRequests.create(paymentRequest({ now: sb.now(), inDays: -2 })))).to.be.instanceOf(BankRejectedError).with.property('bankMessage').that.contains('NWM-03');
    expect(await refusal(client.paymentRequests.create(paymentRequest({ now: sb.now(), inDays: 31 })))).to.be.instanceOf(BankRejectedError).with.property('bankMessage').that.contains('NWM-04');
    const ok = paymentRequest({ now: sb.now(), inDays: 30 });
    await expectProjectSchemaValid(ok);
    expect((await client.paymentRequests.create(ok)).meta.status).to.equal(201);
  });

  it('NWM-13 accepts the +HHMM and the no-offset creationDateTime forms', async () => {
    for (const form of ['2025-03-13T12:56:11.122+0100', '2025-03-13T12:56:11.122']) {
      const r = await client.paymentRequests.create(paymentRequest({ now: sb.now(), mutate: (b) => { b.creationDateTime = form; } }));
      expect(r.meta.status, form).to.equal(201);
    }
  });

  it('a body that is not JSON at all (signed bytes) gets 400 FF01 RJCT "the body is not valid JSON", and nothing is recorded', async () => {
    const creds = await handCredentials(sb);
    const before = sb.payments().length;
    const sentAt = sb.now().getTime();
    const r = await signedPost(sb, creds, Buffer.from('{"paymentInformationId": "PI-1", amount: 12,', 'utf8'));
    expect(r.status).to.equal(400);
    expect(r.headers['content-type']).to.equal('application/json; charset=utf-8');
    const body = JSON.parse(r.text) as Record<string, unknown>;
    expect(Date.parse(String(body.timestamp))).to.be.within(sentAt, sb.now().getTime());
    delete body.timestamp;
    expect(body).to.deep.equal({ status: 400, code: 'FF01', message: 'RJCT', error: 'the body is not valid JSON', path: new URL(sb.apiBaseUrl).pathname + '/payment-requests', details: [] });
    expect(sb.payments()).to.have.length(before);
    // What the client makes of that answer: a final rejection, not a retry.
    const e = classifyBankResponse({ ...r, method: 'POST', path: '/payment-requests' }, NWM_18919.signals);
    expect(e).to.be.instanceOf(BankRejectedError);
    expect(e).to.include({ status: 400, stetCode: 'FF01', bankMessage: 'RJCT / the body is not valid JSON' });
  });

  it('bad access token -> 403 -> BankUnauthorizedError, and the next call gets a new token', async () => {
    sb.reset(); // the sandbox forgets every token it issued
    const e = await refusal(client.paymentRequests.retrieve('PR-unknown'));
    expect(e).to.be.instanceOf(BankUnauthorizedError);
    expect(e.status).to.equal(403);
    expect(e.message).to.not.match(/Bearer\s+\S/);
    const r = await client.paymentRequests.create(paymentRequest({ now: sb.now() }));
    expect(r.meta.status).to.equal(201);
  });

  it('unknown request resource -> 404 -> BankNotFoundError', async () => {
    const e = await refusal(client.paymentRequests.retrieve('PR-does-not-exist'));
    expect(e).to.be.instanceOf(BankNotFoundError);
    expect(e.status).to.equal(404);
  });

  it('NWM: PUT /payment-requests/{id} and POST .../confirmation -> 405 -> BankNotSupportedError; the profile has no cancellation, so the client sends no PUT', async () => {
    const r = await client.paymentRequests.create(paymentRequest({ now: sb.now() }));
    const read = await client.paymentRequests.retrieve(r.meta.resourceId as string);
    const puts = () => sb.requests().filter((e) => e.method === 'PUT').length;
    const before = puts();
    const refused = await refusal(client.paymentRequests.cancel(read.body));
    expect(refused).to.be.instanceOf(BankNotSupportedError);
    expect(puts()).to.equal(before);
    const asIfItCancelled = clientFor(sb, { profile: { ...NWM_18919, cancellation: 'put' } });
    const cancel = await refusal(asIfItCancelled.paymentRequests.cancel(read.body)).finally(() => asIfItCancelled.close());
    expect(cancel).to.be.instanceOf(BankNotSupportedError);
    expect(cancel.status).to.equal(405);
    expect(puts()).to.equal(before + 1);
    const confirm = await refusal(client.paymentRequests.confirm(r.meta.resourceId as string));
    expect(confirm).to.be.instanceOf(BankNotSupportedError);
    expect(confirm.status).to.equal(405);
  });

  it('generic 500 -> BankTransientError', async () => {
    sb.setFaults({ script: [500] });
    const e = await refusal(client.paymentRequests.create(paymentRequest({ now: sb.now() })));
    expect(e).to.be.instanceOf(BankTransientError);
    expect(e.status).to.equal(500);
  });

  it('duplicate request -> 500 "Database insertion issue, duplicate unique key" -> BankDuplicateError', async () => {
    const body = paymentRequest({ now: sb.now() });
    await client.paymentRequests.create(body);
    const e = await refusal(client.paymentRequests.create(body));
    expect(e).to.be.instanceOf(BankDuplicateError);
    expect(e.status).to.equal(500);
    expect(e.bankMessage).to.contain('Database insertion issue, duplicate unique key');
    expect(sb.payments().filter((p) => p.paymentInformationId === body.paymentInformationId)).to.have.length(1);
  });

  it('too many requests -> 429 TMRQ with Retry-After -> BankRateLimitedError', async () => {
    const limited = await startSandbox({ requestsPerSecond: 2 });
    const c = clientFor(limited);
    try {
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => c.paymentRequests.retrieve('PR-x')));
      const rateLimited = results.filter((r) => r.status === 'rejected' && r.reason instanceof BankRateLimitedError);
      expect(rateLimited.length).to.be.greaterThan(0);
      const e = (rateLimited[0] as PromiseRejectedResult).reason as BankRateLimitedError;
      expect(e.status).to.equal(429);
      expect(e.stetCode).to.equal('TMRQ');
      expect(e.retryAfterMs).to.equal(1000);
    } finally {
      c.close();
      await limited.close();
    }
  });
});
