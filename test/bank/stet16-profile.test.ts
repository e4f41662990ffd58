import { expect } from 'chai';
import { BankConflictError, BankNotFoundError } from '../../connector/stet/errors/bank-error.js';
import type { StetClient } from '../../connector/stet/stet-client.js';
import type { RunningBankSandbox } from '../../sandbox/bank/index.js';
import { expectProjectSchemaValid, paymentRequest } from './fixtures.js';
import { clientFor, sandboxAndClientPerSuite, startSandbox } from './harness.js';

describe('bank: the stet-1.6 profile (confirmation and cancellation)', () => {
  let sb: RunningBankSandbox;
  let client: StetClient;
  sandboxAndClientPerSuite((b) => ({ sb, client } = b), { profile: 'stet-1.6', startTime: new Date('2030-03-13T11:00:00Z') });

  async function create() {
    const body = paymentRequest({ now: sb.now(), inDays: 2 });
    await expectProjectSchemaValid(body);
    return (await client.paymentRequests.create(body)).meta.resourceId as string;
  }

  it('consent gives ACCP; execution waits for the confirmation; confirmed -> ACSP -> ACSC; a repeat is ignored', async () => {
    const id = await create();
    expect(sb.consent(id, true)).to.match(/callback\/ok$/);
    const read = (await client.paymentRequests.retrieve(id)).body;
    expect(read.paymentRequest.paymentInformationStatus).to.equal('ACCP');
    expect(read._links?.confirmation?.href).to.equal(`${sb.apiBaseUrl}/payment-requests/${id}/confirmation`);
    sb.advanceClock(3 * 24 * 3600 * 1000); // past the execution date: still not executed without confirmation
    expect((await client.paymentRequests.retrieve(id)).body.paymentRequest.paymentInformationStatus).to.equal('ACCP');
    const confirmed = await client.paymentRequests.confirm(id);
    expect(confirmed.meta.status).to.equal(200);
    expect(confirmed.body.paymentRequest.paymentInformationStatus).to.equal('ACSC');
    expect(confirmed.body._links?.confirmation).to.equal(undefined);
    expect((await client.paymentRequests.confirm(id)).meta.status).to.equal(200);
  });

  it('confirmation before consent -> 409 BankConflictError', async () => {
    const id = await create();
    const e = await client.paymentRequests.confirm(id).then(() => undefined, (err: unknown) => err);
    expect(e).to.be.instanceOf(BankConflictError);
  });

  it('cancellation by PUT with the resource as read (CANC + DS02) before ACSP -> CANC', async () => {
    const id = await create();
    const read = await client.paymentRequests.retrieve(id);
    const r = await client.paymentRequests.cancel(read.body);
    expect(r.meta.status).to.equal(200);
    const after = (await client.paymentRequests.retrieve(id)).body.paymentRequest;
    expect(after).to.include({ paymentInformationStatus: 'CANC', statusReasonInformation: 'DS02' });
    const put = sb.requests().filter((e) => e.method === 'PUT');
    expect(put.at(-1)?.status).to.equal(200);
  });

  it('a 1.4-style cancellation (RJCT + DS02) is accepted too and reported as CANC', async () => {
    const id = await create();
    sb.consent(id, true);
    const read = await client.paymentRequests.retrieve(id);
    await client.paymentRequests.cancel(read.body.paymentRequest, { reasonStatus: 'RJCT' });
    expect((await client.paymentRequests.retrieve(id)).body.paymentRequest.paymentInformationStatus).to.equal('CANC');
  });

  it('cancellation once ACSP -> 409 BankConflictError', async () => {
    const id = await create();
    sb.consent(id, true);
    await client.paymentRequests.confirm(id);
    const read = await client.paymentRequests.retrieve(id);
    const e = await client.paymentRequests.cancel(read.body).then(() => undefined, (err: unknown) => err);
    expect(e).to.be.instanceOf(BankConflictError);
    expect((e as BankConflictError).status).to.equal(409);
  });
});

describe('bank: stet-1.6 execution waits for the confirmation (STET 1.6: "the ASPSP must wait for confirmation")', () => {
  const DAY = 24 * 3600 * 1000;
  let sb: RunningBankSandbox;
  let client: StetClient;
  before(async () => {
    // Wednesday 13 March 2030, noon in Paris; the consent time-out is 15 minutes of sandbox clock.
    sb = await startSandbox({ profile: 'stet-1.6', startTime: new Date('2030-03-13T11:00:00Z'), consentTimeoutMs: 15 * 60 * 1000 });
  });
  beforeEach(() => { client = clientFor(sb); });
  afterEach(() => {
    client.close();
    sb.reset(); // the clock back to Wednesday noon (and the tokens forgotten: a new client per test)
  });
  after(async () => {
    await sb.close();
  });

  /** Payment-level status, transaction-level status, and whether the confirmation link is offered. */
  async function status(id: string) {
    const b = (await client.paymentRequests.retrieve(id)).body;
    return [b.paymentRequest.paymentInformationStatus, b.paymentRequest.creditTransferTransaction[0]?.transactionStatus, b._links?.confirmation !== undefined];
  }

  async function consented(): Promise<string> {
    const body = paymentRequest({ now: sb.now(), inDays: 2 }); // executes Friday 15 March
    const id = (await client.paymentRequests.create(body)).meta.resourceId as string;
    expect(await status(id)).to.deep.equal(['ACTC', 'ACTC', true]);
    sb.consent(id, true);
    return id;
  }

  it('consented, then confirmed before the execution date: ACCP -> ACSP, and ACSC on the execution date, not before', async () => {
    const id = await consented();
    expect(await status(id)).to.deep.equal(['ACCP', 'ACTC', true]); // ACCP is no transaction status: the transaction stays ACTC
    const confirmed = await client.paymentRequests.confirm(id);
    expect(confirmed.body.paymentRequest.paymentInformationStatus).to.equal('ACSP');
    expect(confirmed.body._links?.confirmation).to.equal(undefined);
    expect(await status(id)).to.deep.equal(['ACSP', 'ACSP', false]);
    sb.advanceClock(DAY); // Thursday
    expect(await status(id)).to.deep.equal(['ACSP', 'ACSP', false]);
    sb.advanceClock(DAY); // Friday: the execution date
    expect(await status(id)).to.deep.equal(['ACSC', 'ACSC', false]);
  });

  it('consented but never confirmed: never executed, never expired by the consent time-out; ACCP until the 35 days end, then 404', async () => {
    const id = await consented();
    sb.advanceClock(20 * 60 * 1000); // past the 15-minute consent time-out: it applies to the consent only
    expect(await status(id)).to.deep.equal(['ACCP', 'ACTC', true]);
    sb.advanceClock(3 * DAY); // past the execution date
    expect(await status(id)).to.deep.equal(['ACCP', 'ACTC', true]);
    sb.advanceClock(31 * DAY); // day 34
    expect(await status(id)).to.deep.equal(['ACCP', 'ACTC', true]);
    const held = sb.payments().find((p) => p.resourceId === id);
    expect([held?.paymentInformationStatus, held?.confirmedAt]).to.deep.equal(['ACCP', undefined]);
    sb.advanceClock(2 * DAY); // past the bank's 35 days
    const gone = await client.paymentRequests.retrieve(id).then(() => undefined, (e: unknown) => e);
    expect(gone).to.be.instanceOf(BankNotFoundError);
  });

  it('a confirmation after the execution date executes at once: ACCP -> ACSC', async () => {
    const id = await consented();
    sb.advanceClock(3 * DAY); // Saturday
    expect((await client.paymentRequests.confirm(id)).body.paymentRequest.paymentInformationStatus).to.equal('ACSC');
    expect(await status(id)).to.deep.equal(['ACSC', 'ACSC', false]);
  });

  it('no consent within the consent time-out: RJCT NOAS, and a confirmation is refused with 409', async () => {
    const id = (await client.paymentRequests.create(paymentRequest({ now: sb.now(), inDays: 2 }))).meta.resourceId as string;
    sb.advanceClock(16 * 60 * 1000);
    expect(await status(id)).to.deep.equal(['RJCT', 'RJCT', false]);
    const e = await client.paymentRequests.confirm(id).then(() => undefined, (err: unknown) => err);
    expect(e).to.be.instanceOf(BankConflictError);
  });
});
