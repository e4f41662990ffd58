import { expect } from 'chai';
import { BankConflictError } from '../../connector/stet/errors/bank-error.js';
import type { StetClient } from '../../connector/stet/stet-client.js';
import type { RunningBankSandbox } from '../../sandbox/bank/index.js';
import { expectProjectSchemaValid, paymentRequest } from './fixtures.js';
import { clientFor, startSandbox } from './harness.js';

describe('bank: the stet-1.6 profile (confirmation and cancellation)', () => {
  let sb: RunningBankSandbox;
  let client: StetClient;
  before(async () => {
    sb = await startSandbox({ profile: 'stet-1.6', startTime: new Date('2030-03-13T11:00:00Z') });
    client = clientFor(sb);
  });
  after(async () => {
    client.close();
    await sb.close();
  });

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
