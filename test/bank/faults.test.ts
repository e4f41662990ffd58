import { expect } from 'chai';
import { BankCallAbortedError, BankDuplicateError, BankError, BankTransientError } from '../../connector/stet/errors/bank-error.js';
import type { StetClient } from '../../connector/stet/stet-client.js';
import type { RunningBankSandbox } from '../../sandbox/bank/index.js';
import { paymentRequest } from './fixtures.js';
import { adminJson, clientFor, sandboxAndClientPerSuite } from './harness.js';

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe('bank: faults and the admin API', () => {
  let sb: RunningBankSandbox;
  let client: StetClient;
  sandboxAndClientPerSuite((b) => ({ sb, client } = b));
  afterEach(() => sb.setFaults({}));

  it('503 -> BankTransientError with the status and the X-Request-ID', async () => {
    sb.setFaults({ script: [503] });
    const e = (await failure(client.paymentRequests.create(paymentRequest({ now: sb.now() })))) as BankTransientError;
    expect(e).to.be.instanceOf(BankTransientError);
    expect(e.status).to.equal(503);
    expect(sb.requests().some((r) => r.requestId === e.requestId && r.status === 503)).to.equal(true);
  });

  it('a dropped connection -> BankTransientError, nothing recorded', async () => {
    sb.setFaults({ script: ['drop'] });
    const body = paymentRequest({ now: sb.now() });
    const e = (await failure(client.paymentRequests.create(body))) as BankTransientError;
    expect(e).to.be.instanceOf(BankTransientError);
    expect(e.status).to.equal(undefined);
    expect(e.requestId).to.match(/^[0-9a-f-]{36}$/);
    expect(sb.payments().some((p) => p.paymentInformationId === body.paymentInformationId)).to.equal(false);
  });

  it('record-then-drop: Transient for the client, the payment exists, and the re-send gets BankDuplicateError', async () => {
    sb.setFaults({ script: ['recordThenDrop'] });
    const body = paymentRequest({ now: sb.now() });
    expect(await failure(client.paymentRequests.create(body))).to.be.instanceOf(BankTransientError);
    expect(sb.payments().filter((p) => p.paymentInformationId === body.paymentInformationId)).to.have.length(1);
    expect(await failure(client.paymentRequests.create(body))).to.be.instanceOf(BankDuplicateError);
    const posts = (await adminJson(sb, 'GET', '/admin/requests')).json.filter((r: { paymentInformationId?: string; method: string }) => r.paymentInformationId === body.paymentInformationId && r.method === 'POST');
    expect(posts.map((r: { status: unknown }) => r.status)).to.deep.equal(['dropped', 500]);
  });

  it('latency beyond responseTimeoutMs -> BankTransientError naming the time-out', async () => {
    const slow = clientFor(sb, { responseTimeoutMs: 150 });
    try {
      await slow.paymentRequests.retrieve('PR-warm-up').catch(() => undefined); // token first
      sb.setFaults({ latencyMs: 400 });
      const e = (await failure(slow.paymentRequests.retrieve('PR-x'))) as BankTransientError;
      expect(e).to.be.instanceOf(BankTransientError);
      expect(e.message).to.contain('no complete answer within 150 ms');
    } finally {
      slow.close();
    }
  });

  it("the caller's AbortSignal stops a call with an AbortError that is not a BankError", async () => {
    await client.paymentRequests.retrieve('PR-warm-up').catch(() => undefined);
    sb.setFaults({ latencyMs: 400 });
    const e = await failure(client.paymentRequests.retrieve('PR-x', { signal: AbortSignal.timeout(50) }));
    expect(e).to.be.instanceOf(BankCallAbortedError);
    expect((e as Error).name).to.equal('AbortError');
    expect(e).to.not.be.instanceOf(BankError);
  });

  it('fault rates are drawn from a seeded PRNG: the same seed gives the same answers', async () => {
    const pattern = async () => {
      sb.setFaults({ error503Rate: 0.5, seed: 7 });
      const out: string[] = [];
      for (let i = 0; i < 8; i++) {
        const e = await failure(client.paymentRequests.retrieve('PR-x'));
        out.push((e as BankError).status === 503 ? '503' : 'ok');
      }
      return out;
    };
    const first = await pattern();
    expect(first).to.include('503').and.to.include('ok');
    expect(await pattern()).to.deep.equal(first);
  });

  it('admin API: faults by POST (merge) and DELETE, clock, consent, payments and request log', async () => {
    expect((await adminJson(sb, 'POST', '/admin/faults', { script: [500] })).status).to.equal(200);
    expect(((await failure(client.paymentRequests.retrieve('PR-x'))) as BankError).status).to.equal(500);
    await adminJson(sb, 'POST', '/admin/faults', { script: [503, 503] });
    expect((await adminJson(sb, 'DELETE', '/admin/faults')).json).to.deep.equal({});
    const created = await client.paymentRequests.create(paymentRequest({ now: sb.now() }));
    const id = created.meta.resourceId as string;
    const consent = await adminJson(sb, 'POST', `/admin/payments/${id}/consent`, { approve: true });
    expect(consent.json.redirectUrl).to.equal('https://stetpay.example.test/callback/ok');
    expect((await adminJson(sb, 'POST', `/admin/payments/${id}/consent`, { approve: true })).status).to.equal(409);
    const before = Date.parse((await adminJson(sb, 'GET', '/admin/clock')).json.now);
    const moved = await adminJson(sb, 'POST', '/admin/clock', { advanceDays: 8 }); // past the date, even over a weekend
    expect(Date.parse(moved.json.now) - before).to.be.within(8 * 86400000, 8 * 86400000 + 5000);
    const payments = (await adminJson(sb, 'GET', '/admin/payments')).json as Array<{ resourceId: string; paymentInformationStatus: string }>;
    expect(payments.find((p) => p.resourceId === id)?.paymentInformationStatus).to.equal('ACSC');
    const log = (await adminJson(sb, 'GET', '/admin/requests')).json as Array<{ requestId?: string; status: number }>;
    expect(log.find((r) => r.requestId === created.meta.requestId)?.status).to.equal(201);
    expect((await adminJson(sb, 'POST', '/admin/reset')).json).to.deep.equal({ reset: true });
    expect((await adminJson(sb, 'GET', '/admin/payments')).json).to.deep.equal([]);
  });
});
